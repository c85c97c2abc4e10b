/* What a program that measures itself sees: rdtsc, clock_gettime(CLOCK_MONOTONIC) and gettimeofday around the same
 * busy loop. Under kml all three read emulated time, so two runs print the same numbers and the TSC delta is the
 * clock delta times the model's clock rate (3.0 GHz for both presets); natively they vary from run to run. */
#include <stdint.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

int main(void)
{
    struct timespec t0, t1;
    struct timeval v0, v1;
    gettimeofday(&v0, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    uint64_t c0 = rdtsc();
    volatile unsigned sum = 0;
    for (unsigned i = 0; i < 3000000; i++) sum += i;
    uint64_t c1 = rdtsc();
    clock_gettime(CLOCK_MONOTONIC, &t1);
    gettimeofday(&v1, NULL);
    long long ns = (long long)(t1.tv_sec - t0.tv_sec) * 1000000000 + (t1.tv_nsec - t0.tv_nsec);
    long long us = (long long)(v1.tv_sec - v0.tv_sec) * 1000000 + (v1.tv_usec - v0.tv_usec);
    printf("rdtsc %llu\nclock_gettime %lld\ngettimeofday %lld\n", (unsigned long long)(c1 - c0), ns, us);
    return 0;
}
