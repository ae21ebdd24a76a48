/*
 * bicg: the two matrix-vector products of BiCGStab in one sweep over A, single precision
 * (f32): s = A^T * r and q = A * p; A is N x M.
 */
#include <string.h>

#include "kernel.h"

#define N 96
#define M 88

const char *const kernel_name = "bicg";

static float A[N][M];
static float p[M];
static float r[N];
static float s[M];
static float q[N];

/* A value in [0, 1) with 24 random bits: exact in f32. */
static float lcg_unit(void)
{
    return (float)(lcg_next() >> 8) * (1.0f / 16777216.0f);
}

void kernel_init(void)
{
    lcg_state = 0x62696367u;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < M; j++)
            A[i][j] = lcg_unit();
    for (int j = 0; j < M; j++)
        p[j] = lcg_unit();
    for (int i = 0; i < N; i++)
        r[i] = lcg_unit();
}

void kernel_run(void)
{
    for (int j = 0; j < M; j++)
        s[j] = 0.0f;
    for (int i = 0; i < N; i++) {
        float ri = r[i];
        float qi = 0.0f;
        for (int j = 0; j < M; j++) {
            s[j] += ri * A[i][j];
            qi += A[i][j] * p[j];
        }
        q[i] = qi;
    }
}

static uint32_t fold_floats(uint32_t h, const float *v, int n)
{
    for (int i = 0; i < n; i++) {
        uint32_t bits;
        memcpy(&bits, &v[i], sizeof bits);
        h = fold(h, bits);
    }
    return h;
}

uint32_t kernel_checksum(void)
{
    uint32_t h = 0x811c9dc5u;
    h = fold_floats(h, s, M);
    h = fold_floats(h, q, N);
    return h;
}
