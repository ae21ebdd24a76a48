/* gemm: C = alpha * A * B + beta * C in single precision (f32). */
#include <string.h>

#include "kernel.h"

#define NI 44
#define NJ 48
#define NK 52

const char *const kernel_name = "gemm";

static float A[NI][NK];
static float B[NK][NJ];
static float C[NI][NJ];
static float alpha;
static float beta;

/* A value in [0, 1) with 24 random bits: exact in f32. */
static float lcg_unit(void)
{
    return (float)(lcg_next() >> 8) * (1.0f / 16777216.0f);
}

void kernel_init(void)
{
    lcg_state = 0x67656d6du;
    alpha = 1.5f;
    beta = 0.75f;
    for (int i = 0; i < NI; i++)
        for (int k = 0; k < NK; k++)
            A[i][k] = lcg_unit();
    for (int k = 0; k < NK; k++)
        for (int j = 0; j < NJ; j++)
            B[k][j] = lcg_unit();
    for (int i = 0; i < NI; i++)
        for (int j = 0; j < NJ; j++)
            C[i][j] = lcg_unit();
}

void kernel_run(void)
{
    for (int i = 0; i < NI; i++) {
        for (int j = 0; j < NJ; j++)
            C[i][j] *= beta;
        for (int k = 0; k < NK; k++) {
            float a = alpha * A[i][k];
            for (int j = 0; j < NJ; j++)
                C[i][j] += a * B[k][j];
        }
    }
}

uint32_t kernel_checksum(void)
{
    uint32_t h = 0x811c9dc5u;
    for (int i = 0; i < NI; i++)
        for (int j = 0; j < NJ; j++) {
            uint32_t bits;
            memcpy(&bits, &C[i][j], sizeof bits);
            h = fold(h, bits);
        }
    return h;
}
