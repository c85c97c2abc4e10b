/* Integer matrix product, N x N, flat row-major arrays, i-k-j order (the C side of kml bench compiler). */
#include <stdio.h>
#include "../../c/bench/bench_clock.h"

#define N 160

static int a[N * N], b[N * N], c[N * N];

int main(void)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) { a[i * N + j] = (i * j + 1) % 17 - 8; b[i * N + j] = (i + 2 * j) % 13 - 6; }
    stamp t0 = now();
    for (int i = 0; i < N; i++)
        for (int k = 0; k < N; k++)
        {
            int aik = a[i * N + k];
            for (int j = 0; j < N; j++) c[i * N + j] += aik * b[k * N + j];
        }
    stamp t1 = now();
    long long sum = 0;
    for (int i = 0; i < N * N; i++) sum += (long long)c[i] * (i % 7 + 1);
    printf("matmul %lld %lld\n", (long long)(t1.emulated - t0.emulated), sum);
    return 0;
}
