/*
 * seidel-2d: T sweeps of the in-place 9-point Gauss-Seidel stencil on an N x N grid in double
 * precision (f64). Eight additions and one division per point: on the M4 all of it is
 * soft-float, so this kernel is small.
 */
#include <string.h>

#include "kernel.h"

#define N 40
#define T 4

const char *const kernel_name = "seidel-2d";

static double A[N][N];

/* A value in [0, 1) with 30 random bits: exact in f64. */
static double lcg_unit(void)
{
    return (double)(lcg_next() >> 2) * (1.0 / 1073741824.0);
}

void kernel_init(void)
{
    lcg_state = 0x73656964u;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            A[i][j] = lcg_unit();
}

void kernel_run(void)
{
    for (int t = 0; t < T; t++)
        for (int i = 1; i < N - 1; i++)
            for (int j = 1; j < N - 1; j++)
                A[i][j] = (A[i - 1][j - 1] + A[i - 1][j] + A[i - 1][j + 1]
                           + A[i][j - 1] + A[i][j] + A[i][j + 1]
                           + A[i + 1][j - 1] + A[i + 1][j] + A[i + 1][j + 1]) / 9.0;
}

uint32_t kernel_checksum(void)
{
    uint32_t h = 0x811c9dc5u;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            uint64_t bits;
            memcpy(&bits, &A[i][j], sizeof bits);
            h = fold(h, (uint32_t)bits);
            h = fold(h, (uint32_t)(bits >> 32));
        }
    return h;
}
