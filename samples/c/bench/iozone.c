/* IOzone-like file throughput: Write (create and write the file), Re-write (write it again), Read and Re-read, with a
 * 16 KiB buffer (the paper's record size), for file sizes from 64 KiB doubling up to MAX KiB; each measurement is the
 * median of R runs; throughput in KiB/s of emulated time and of host time.
 * Usage: iozone [MAX_KIB=16384] [R=3]
 * Output: one line per size and operation: "<size KiB> <op> <emulated KiB/s> <host KiB/s>". */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bench_clock.h"

#define RECORD (16 * 1024)
static char buffer[RECORD];

enum op { WRITE, REWRITE, READ, REREAD };
static const char *names[] = { "write", "rewrite", "read", "reread" };

static stamp elapsed(enum op op, long size)
{
    int flags = op == WRITE ? O_CREAT | O_TRUNC | O_WRONLY : op == REWRITE ? O_WRONLY : O_RDONLY;
    if (op == WRITE) unlink("iozone.tmp");
    stamp a = now();
    int fd = open("iozone.tmp", flags, 0644);
    if (fd < 0) { perror("iozone.tmp"); exit(1); }
    for (long done = 0; done < size; done += RECORD) {
        ssize_t n = op <= REWRITE ? write(fd, buffer, RECORD) : read(fd, buffer, RECORD);
        if (n != RECORD) { perror(names[op]); exit(1); }
    }
    close(fd);
    stamp b = now();
    stamp d = { b.emulated - a.emulated, b.host - a.host };
    return d;
}

int main(int argc, char **argv)
{
    long max_kib = argc > 1 ? atol(argv[1]) : 16384;
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    if (max_kib < 64 || runs <= 0 || runs > 64) { fprintf(stderr, "usage: iozone [MAX_KIB>=64] [1<=R<=64]\n"); return 2; }
    memset(buffer, 'k', sizeof buffer);
    for (long kib = 64; kib <= max_kib; kib *= 2) {
        long size = kib * 1024;
        int64_t emulated[4][64], host[4][64];
        for (int r = 0; r < runs; r++) {
            /* IOzone's order: write then re-write, read then re-read, on the same file. */
            for (int op = WRITE; op <= REREAD; op++) {
                stamp d = elapsed((enum op)op, size);
                emulated[op][r] = d.emulated;
                host[op][r] = d.host;
            }
        }
        for (int op = WRITE; op <= REREAD; op++) {
            double e = median_i64(emulated[op], runs), h = median_i64(host[op], runs);
            printf("%ld %s %.0f %.0f\n", kib, names[op], kib / (e / 1e9), kib / (h / 1e9));
        }
        fflush(stdout);
    }
    unlink("iozone.tmp");
    return 0;
}
