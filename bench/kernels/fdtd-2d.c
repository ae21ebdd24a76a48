/*
 * fdtd-2d: the 2-D finite-difference time-domain kernel of PolyBench (Ex, Ey and Hz fields) in
 * f64, 36 x 36 grids, 5 time steps, with the source row Ey[0][*] set from a per-step value.
 * Each step updates Ey and Ex from differences of Hz, then Hz from differences of both.
 */
#include <string.h>

#include "kernel.h"

#define NX 36
#define NY 36
#define T 5

const char *const kernel_name = "fdtd-2d";

static double ex[NX][NY];
static double ey[NX][NY];
static double hz[NX][NY];
static double source[T];

static double next_f64(void)
{
    return (double)(lcg_next() >> 2) * (1.0 / 1073741824.0);
}

void kernel_init(void)
{
    lcg_state = 0x66647464u;
    for (int i = 0; i < NX; i++)
        for (int j = 0; j < NY; j++) {
            ex[i][j] = next_f64();
            ey[i][j] = next_f64();
            hz[i][j] = next_f64();
        }
    for (int t = 0; t < T; t++)
        source[t] = next_f64();
}

void kernel_run(void)
{
    for (int t = 0; t < T; t++) {
        for (int j = 0; j < NY; j++)
            ey[0][j] = source[t];
        for (int i = 1; i < NX; i++)
            for (int j = 0; j < NY; j++)
                ey[i][j] = ey[i][j] - 0.5 * (hz[i][j] - hz[i - 1][j]);
        for (int i = 0; i < NX; i++)
            for (int j = 1; j < NY; j++)
                ex[i][j] = ex[i][j] - 0.5 * (hz[i][j] - hz[i][j - 1]);
        for (int i = 0; i < NX - 1; i++)
            for (int j = 0; j < NY - 1; j++)
                hz[i][j] = hz[i][j] - 0.7 * (ex[i][j + 1] - ex[i][j] + ey[i + 1][j] - ey[i][j]);
    }
}

static uint32_t fold_f64(uint32_t h, double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return fold(fold(h, (uint32_t)bits), (uint32_t)(bits >> 32));
}

uint32_t kernel_checksum(void)
{
    uint32_t h = 0;
    for (int i = 0; i < NX; i++)
        for (int j = 0; j < NY; j++) {
            h = fold_f64(h, ex[i][j]);
            h = fold_f64(h, ey[i][j]);
            h = fold_f64(h, hz[i][j]);
        }
    return h;
}
