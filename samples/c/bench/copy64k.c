/* The multi-level protection paper's experiment: copy a 64 KiB file in 8 KiB blocks (open both files, 8 reads and 8
 * writes, close), R times; the median time per copy in emulated and host microseconds.
 * Usage: copy64k [R=50]
 * Output: "copy64k <emulated us> <host us>". */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bench_clock.h"

#define FILE_SIZE (64 * 1024)
#define BLOCK (8 * 1024)

static void copy(const char *from, const char *to)
{
    static char block[BLOCK];
    int in = open(from, O_RDONLY), out = open(to, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    if (in < 0 || out < 0) { perror("copy64k"); exit(1); }
    ssize_t n;
    while ((n = read(in, block, BLOCK)) > 0)
        if (write(out, block, (size_t)n) != n) { perror("write"); exit(1); }
    close(in);
    close(out);
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 50;
    if (runs <= 0 || runs > 1000) { fprintf(stderr, "usage: copy64k [1<=R<=1000]\n"); return 2; }
    static char data[FILE_SIZE];
    for (int i = 0; i < FILE_SIZE; i++) data[i] = (char)(i * 31 + 7);
    int fd = open("copy64k.src", O_CREAT | O_TRUNC | O_WRONLY, 0644);
    if (fd < 0 || write(fd, data, FILE_SIZE) != FILE_SIZE) { perror("copy64k.src"); return 1; }
    close(fd);
    copy("copy64k.src", "copy64k.dst");   /* warm up */
    int64_t *emulated = malloc(sizeof(int64_t) * (size_t)runs), *host = malloc(sizeof(int64_t) * (size_t)runs);
    for (int r = 0; r < runs; r++) {
        stamp a = now();
        copy("copy64k.src", "copy64k.dst");
        stamp b = now();
        emulated[r] = b.emulated - a.emulated;
        host[r] = b.host - a.host;
    }
    /* Check the copy. */
    static char back[FILE_SIZE];
    fd = open("copy64k.dst", O_RDONLY);
    if (fd < 0 || read(fd, back, FILE_SIZE) != FILE_SIZE || memcmp(back, data, FILE_SIZE) != 0) { fprintf(stderr, "copy64k: the copy differs\n"); return 1; }
    close(fd);
    printf("copy64k %.2f %.2f\n", median_i64(emulated, runs) / 1e3, median_i64(host, runs) / 1e3);
    unlink("copy64k.src");
    unlink("copy64k.dst");
    return 0;
}
