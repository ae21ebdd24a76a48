/* mvt: x_1 += A * y_1 and x_2 += A^T * y_2 in single precision (f32); A is N x N. */
#include <string.h>

#include "kernel.h"

#define N 90

const char *const kernel_name = "mvt";

static float A[N][N];
static float x_1[N];
static float x_2[N];
static float y_1[N];
static float y_2[N];

/* A value in [0, 1) with 24 random bits: exact in f32. */
static float lcg_unit(void)
{
    return (float)(lcg_next() >> 8) * (1.0f / 16777216.0f);
}

void kernel_init(void)
{
    lcg_state = 0x6d767400u;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            A[i][j] = lcg_unit();
    for (int i = 0; i < N; i++) {
        x_1[i] = lcg_unit();
        x_2[i] = lcg_unit();
        y_1[i] = lcg_unit();
        y_2[i] = lcg_unit();
    }
}

void kernel_run(void)
{
    for (int i = 0; i < N; i++) {
        float t = x_1[i];
        for (int j = 0; j < N; j++)
            t += A[i][j] * y_1[j];
        x_1[i] = t;
    }
    for (int i = 0; i < N; i++) {
        float t = x_2[i];
        for (int j = 0; j < N; j++)
            t += A[j][i] * y_2[j];
        x_2[i] = t;
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
    h = fold_floats(h, x_1, N);
    h = fold_floats(h, x_2, N);
    return h;
}
