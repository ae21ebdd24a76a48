/*
 * 2mm: D = alpha * A * B * C + beta * D in double precision (f64), as two matrix products
 * through tmp = alpha * A * B. The f64 twin of gemm: on the M4 every operation is soft-float.
 */
#include <string.h>

#include "kernel.h"

#define NI 24
#define NJ 28
#define NK 32
#define NL 36

const char *const kernel_name = "2mm";

static double A[NI][NK];
static double B[NK][NJ];
static double C[NJ][NL];
static double D[NI][NL];
static double tmp[NI][NJ];
static double alpha;
static double beta;

/* A value in [0, 1) with 30 random bits: exact in f64. */
static double lcg_unit(void)
{
    return (double)(lcg_next() >> 2) * (1.0 / 1073741824.0);
}

void kernel_init(void)
{
    lcg_state = 0x326d6d00u;
    alpha = 1.5;
    beta = 1.2;
    for (int i = 0; i < NI; i++)
        for (int k = 0; k < NK; k++)
            A[i][k] = lcg_unit();
    for (int k = 0; k < NK; k++)
        for (int j = 0; j < NJ; j++)
            B[k][j] = lcg_unit();
    for (int j = 0; j < NJ; j++)
        for (int l = 0; l < NL; l++)
            C[j][l] = lcg_unit();
    for (int i = 0; i < NI; i++)
        for (int l = 0; l < NL; l++)
            D[i][l] = lcg_unit();
}

void kernel_run(void)
{
    for (int i = 0; i < NI; i++) {
        for (int j = 0; j < NJ; j++)
            tmp[i][j] = 0.0;
        for (int k = 0; k < NK; k++) {
            double a = alpha * A[i][k];
            for (int j = 0; j < NJ; j++)
                tmp[i][j] += a * B[k][j];
        }
    }
    for (int i = 0; i < NI; i++) {
        for (int l = 0; l < NL; l++)
            D[i][l] *= beta;
        for (int j = 0; j < NJ; j++) {
            double t = tmp[i][j];
            for (int l = 0; l < NL; l++)
                D[i][l] += t * C[j][l];
        }
    }
}

uint32_t kernel_checksum(void)
{
    uint32_t h = 0x811c9dc5u;
    for (int i = 0; i < NI; i++)
        for (int l = 0; l < NL; l++) {
            uint64_t bits;
            memcpy(&bits, &D[i][l], sizeof bits);
            h = fold(h, (uint32_t)bits);
            h = fold(h, (uint32_t)(bits >> 32));
        }
    return h;
}
