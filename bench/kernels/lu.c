/*
 * lu: Doolittle LU factorisation without pivoting, in place, single precision (f32): after
 * the run the strict lower triangle holds L (unit diagonal implied) and the upper triangle U.
 * A has a dominant diagonal, so no pivoting is needed.
 */
#include <string.h>

#include "kernel.h"

#define N 80

const char *const kernel_name = "lu";

static float A[N][N];

/* A value in [0, 1) with 24 random bits: exact in f32. */
static float lcg_unit(void)
{
    return (float)(lcg_next() >> 8) * (1.0f / 16777216.0f);
}

void kernel_init(void)
{
    lcg_state = 0x6c750000u;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            A[i][j] = i == j ? (float)N + lcg_unit() : lcg_unit();
}

void kernel_run(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < i; j++) {
            float s = A[i][j];
            for (int k = 0; k < j; k++)
                s -= A[i][k] * A[k][j];
            A[i][j] = s / A[j][j];
        }
        for (int j = i; j < N; j++) {
            float s = A[i][j];
            for (int k = 0; k < i; k++)
                s -= A[i][k] * A[k][j];
            A[i][j] = s;
        }
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
