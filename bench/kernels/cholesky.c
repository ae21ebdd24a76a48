/*
 * cholesky: A = L * L^T in place (L in the lower triangle, diagonal included) in single
 * precision (f32). A is symmetric with a dominant diagonal, hence positive definite.
 *
 * __builtin_sqrtf is one instruction (vsqrt.f32, f32.sqrt); with the default -fmath-errno,
 * gcc and clang add a call to sqrtf on the never-taken path for a negative argument, so a
 * native link needs -lm or -fno-math-errno.
 */
#include <string.h>

#include "kernel.h"

#define N 96

const char *const kernel_name = "cholesky";

static float A[N][N];

/* A value in [0, 1) with 24 random bits: exact in f32. */
static float lcg_unit(void)
{
    return (float)(lcg_next() >> 8) * (1.0f / 16777216.0f);
}

void kernel_init(void)
{
    lcg_state = 0x63686f6cu;
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < i; j++) {
            A[i][j] = lcg_unit();
            A[j][i] = A[i][j];
        }
        A[i][i] = (float)N + lcg_unit();
    }
}

void kernel_run(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < i; j++) {
            float s = A[i][j];
            for (int k = 0; k < j; k++)
                s -= A[i][k] * A[j][k];
            A[i][j] = s / A[j][j];
        }
        float d = A[i][i];
        for (int k = 0; k < i; k++)
            d -= A[i][k] * A[i][k];
        A[i][i] = __builtin_sqrtf(d);
    }
}

uint32_t kernel_checksum(void)
{
    uint32_t h = 0x811c9dc5u;
    for (int i = 0; i < N; i++)
        for (int j = 0; j <= i; j++) {
            uint32_t bits;
            memcpy(&bits, &A[i][j], sizeof bits);
            h = fold(h, bits);
        }
    return h;
}
