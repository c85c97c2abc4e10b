/* System-call latency in the style of lmbench's lat_syscall: getpid, read (1 byte from /dev/zero), write (1 byte to
 * /dev/null) and fstat (of an open regular file), each timed over N calls, repeated R times; the median ns per call
 * is printed in emulated time and in host time. The same binary runs in ring 3 (int 0x80 or sysenter) and in ring 0
 * (KML's direct call): glibc reaches the kernel through __kernel_vsyscall in every case.
 * Usage: syscall_bench [N=200000] [R=5]
 * Output: one line per call: "<name> <emulated ns/call> <host ns/call>". */
#define _LARGEFILE64_SOURCE   /* struct stat64 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "bench_clock.h"

static int zero_fd, null_fd, file_fd;
static char byte;
static struct stat64 st;   /* fstat64(2) itself, as the 2004 glibc called it (a modern glibc goes through statx and converts) */

/* One timed loop per call, with the call inline in the loop (as lmbench's do_getppid does), so the loop adds as
 * little as possible to what is measured. */
#define MEASURE(name, call)                                                              \
    static void measure_##name(int n, int runs)                                          \
    {                                                                                    \
        int64_t emulated[64], host[64];                                                  \
        for (int i = 0; i < n / 10; i++) { call; } /* warm up: translation, mapped pages */ \
        for (int r = 0; r < runs; r++) {                                                 \
            stamp a = now();                                                             \
            for (int i = 0; i < n; i++) { call; }                                        \
            stamp b = now();                                                             \
            emulated[r] = b.emulated - a.emulated;                                       \
            host[r] = b.host - a.host;                                                   \
        }                                                                                \
        printf("%s %.2f %.2f\n", #name, median_i64(emulated, runs) / n, median_i64(host, runs) / n); \
        fflush(stdout);                                                                  \
    }

MEASURE(getpid, getpid())
MEASURE(read, if (read(zero_fd, &byte, 1) != 1) abort())
MEASURE(write, if (write(null_fd, &byte, 1) != 1) abort())
MEASURE(fstat, if (syscall(SYS_fstat64, file_fd, &st) != 0) abort())

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 200000;
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    if (n <= 0 || runs <= 0 || runs > 64) { fprintf(stderr, "usage: syscall_bench [N>0] [1<=R<=64]\n"); return 2; }
    zero_fd = open("/dev/zero", O_RDONLY);
    null_fd = open("/dev/null", O_WRONLY);
    file_fd = open("syscall_bench.dat", O_CREAT | O_RDWR | O_TRUNC, 0644);
    if (zero_fd < 0 || null_fd < 0 || file_fd < 0) { perror("open"); return 1; }
    measure_getpid(n, runs);
    measure_read(n, runs);
    measure_write(n, runs);
    measure_fstat(n, runs);
    close(file_fd);
    unlink("syscall_bench.dat");
    return 0;
}
