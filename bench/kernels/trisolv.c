/*
 * trisolv: forward substitution L * x = b in single precision (f32) for R right-hand sides;
 * L is N x N lower triangular and diagonally dominant, so x stays bounded.
 */
#include <string.h>

#include "kernel.h"

#define N 80
#define R 16

const char *const kernel_name = "trisolv";

static float L[N][N];
static float B[R][N];
static float X[R][N];

/* A value in [0, 1) with 24 random bits: exact in f32. */
static float lcg_unit(void)
{
    return (float)(lcg_next() >> 8) * (1.0f / 16777216.0f);
}

void kernel_init(void)
{
    lcg_state = 0x74727376u;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            if (j < i)
                L[i][j] = lcg_unit() * (1.0f / 128.0f);
            else if (j == i)
                L[i][j] = 1.0f + lcg_unit();
            else
                L[i][j] = 0.0f;
        }
    for (int r = 0; r < R; r++)
        for (int i = 0; i < N; i++)
            B[r][i] = lcg_unit();
}

void kernel_run(void)
{
    for (int r = 0; r < R; r++)
        for (int i = 0; i < N; i++) {
            float s = B[r][i];
            for (int j = 0; j < i; j++)
                s -= L[i][j] * X[r][j];
            X[r][i] = s / L[i][i];
        }
}

uint32_t kernel_checksum(void)
{
    uint32_t h = 0x811c9dc5u;
    for (int r = 0; r < R; r++)
        for (int i = 0; i < N; i++) {
            uint32_t bits;
            memcpy(&bits, &X[r][i], sizeof bits);
            h = fold(h, bits);
        }
    return h;
}
