/*
 * jacobi-2d: T time steps of the 5-point Jacobi stencil on an N x N grid in single precision
 * (f32), ping-ponging between A and B; the border stays fixed.
 */
#include <string.h>

#include "kernel.h"

#define N 64
#define T 20

const char *const kernel_name = "jacobi-2d";

static float A[N][N];
static float B[N][N];

/* A value in [0, 1) with 24 random bits: exact in f32. */
static float lcg_unit(void)
{
    return (float)(lcg_next() >> 8) * (1.0f / 16777216.0f);
}

void kernel_init(void)
{
    lcg_state = 0x6a616332u;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            A[i][j] = lcg_unit();
            B[i][j] = A[i][j];
        }
}

void kernel_run(void)
{
    for (int t = 0; t < T; t++) {
        for (int i = 1; i < N - 1; i++)
            for (int j = 1; j < N - 1; j++)
                B[i][j] = 0.2f * (A[i][j] + A[i][j - 1] + A[i][j + 1] + A[i + 1][j] + A[i - 1][j]);
        for (int i = 1; i < N - 1; i++)
            for (int j = 1; j < N - 1; j++)
                A[i][j] = 0.2f * (B[i][j] + B[i][j - 1] + B[i][j + 1] + B[i + 1][j] + B[i - 1][j]);
    }
}

uint32_t kernel_checksum(void)
{
    uint32_t h = 0x811c9dc5u;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            uint32_t bits;
            memcpy(&bits, &A[i][j], sizeof bits);
            h = fold(h, bits);
        }
    return h;
}
