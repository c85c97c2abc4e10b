/* The sieve of Eratosthenes below N (the C side of kml bench compiler; sieve.cs is the same algorithm). */
#include <stdio.h>
#include "../../c/bench/bench_clock.h"

#define N 4000000

static unsigned char composite[N];

int main(void)
{
    stamp t0 = now();
    for (int i = 2; i * i < N; i++)
        if (!composite[i])
            for (int j = i * i; j < N; j += i) composite[j] = 1;
    int count = 0, last = 0;
    for (int i = 2; i < N; i++)
        if (!composite[i]) { count++; last = i; }
    stamp t1 = now();
    printf("sieve %lld %d:%d\n", (long long)(t1.emulated - t0.emulated), count, last);
    return 0;
}
