/* Clocks for the benchmarks: CLOCK_MONOTONIC is emulated time under kml (the cycle model) and real time natively;
 * kml also exposes the host's monotonic clock as clock id 0x4B4D ("KM"), which Linux rejects (then host time is the
 * same as CLOCK_MONOTONIC: the program runs on the host). */
#ifndef BENCH_CLOCK_H
#define BENCH_CLOCK_H
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#define KML_CLOCK_HOST 0x4B4D

typedef struct { int64_t emulated, host; } stamp;

static inline int64_t ns_of(clockid_t id)
{
    struct timespec t;
    if (clock_gettime(id, &t) != 0) return -1;
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static inline stamp now(void)
{
    stamp s;
    s.emulated = ns_of(CLOCK_MONOTONIC);
    s.host = ns_of(KML_CLOCK_HOST);
    if (s.host < 0) s.host = s.emulated;
    return s;
}

static int compare_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The median of n values (sorts them). */
static inline double median_i64(int64_t *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, compare_i64);
    return n % 2 ? (double)v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}
#endif
