/* Quicksort of N pseudo-random ints (the C side of kml bench compiler; sort.cs is the same algorithm). */
#include <stdio.h>
#include "../../c/bench/bench_clock.h"

#define N 300000

static int a[N];

static void quicksort(int *v, int lo, int hi)
{
    if (lo >= hi) return;
    int pivot = v[lo + (hi - lo) / 2];
    int i = lo - 1, j = hi + 1;
    for (;;)
    {
        do i++; while (v[i] < pivot);
        do j--; while (v[j] > pivot);
        if (i >= j) break;
        int t = v[i]; v[i] = v[j]; v[j] = t;
    }
    quicksort(v, lo, j);
    quicksort(v, j + 1, hi);
}

int main(void)
{
    unsigned int x = 2463534242u;
    for (int i = 0; i < N; i++) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; a[i] = (int)(x % 1000000u); }
    stamp t0 = now();
    quicksort(a, 0, N - 1);
    stamp t1 = now();
    unsigned int check = 0;
    int sorted = 1;
    for (int i = 0; i < N; i++) { check = check * 31u + (unsigned int)a[i]; if (i > 0 && a[i - 1] > a[i]) sorted = 0; }
    printf("sort %lld %u:%d\n", (long long)(t1.emulated - t0.emulated), check, sorted);
    return 0;
}
