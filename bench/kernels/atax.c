/*
 * atax: y = A^T * (A * x) in single precision (f32); A is M x N. Row by row: t = A[i] . x,
 * then y += t * A[i], so A is read in order twice.
 */
#include <string.h>

#include "kernel.h"

#define M 88
#define N 96

const char *const kernel_name = "atax";

static float A[M][N];
static float x[N];
static float y[N];

/* A value in [0, 1) with 24 random bits: exact in f32. */
static float lcg_unit(void)
{
    return (float)(lcg_next() >> 8) * (1.0f / 16777216.0f);
}

void kernel_init(void)
{
    lcg_state = 0x61746178u;
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++)
            A[i][j] = lcg_unit();
    for (int j = 0; j < N; j++)
        x[j] = lcg_unit();
}

void kernel_run(void)
{
    for (int j = 0; j < N; j++)
        y[j] = 0.0f;
    for (int i = 0; i < M; i++) {
        float t = 0.0f;
        for (int j = 0; j < N; j++)
            t += A[i][j] * x[j];
        for (int j = 0; j < N; j++)
            y[j] += A[i][j] * t;
    }
}

uint32_t kernel_checksum(void)
{
    uint32_t h = 0x811c9dc5u;
    for (int j = 0; j < N; j++) {
        uint32_t bits;
        memcpy(&bits, &y[j], sizeof bits);
        h = fold(h, bits);
    }
    return h;
}
