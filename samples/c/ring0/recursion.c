/* Stack growth by recursion. "deep N": N frames of about 1 KiB each, then the sum of their bytes (the stack grows by
 * N KiB, page by page: in ring 0 every new page is a double fault the kernel turns into stack growth). "unbounded":
 * recursion until the stack limit, where the process dies by SIGSEGV (in ring 0 through the double-fault task). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long depth_reached;

static long deep(int n)
{
    volatile char frame[1000];
    memset((char *)frame, n & 0x7F, sizeof frame);
    depth_reached++;
    if (n == 0) return frame[0];
    long below = deep(n - 1);
    return below + frame[n % sizeof frame];   /* not a tail call: the frame stays live */
}

#pragma GCC diagnostic ignored "-Winfinite-recursion"
static long unbounded(long n)
{
    volatile char frame[1000];
    frame[0] = (char)n;
    depth_reached = n;
    return unbounded(n + 1) + frame[0];
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "deep") == 0) {
        int n = atoi(argv[2]);
        long sum = deep(n);
        printf("deep(%d) = %ld after %ld frames\n", n, sum, depth_reached);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "unbounded") == 0) {
        printf("recursing without bound\n");
        fflush(stdout);
        return (int)unbounded(0);
    }
    fprintf(stderr, "usage: recursion deep N | recursion unbounded\n");
    return 2;
}
