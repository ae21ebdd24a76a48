/*
 * conv2d-int8: a TinyML convolution layer. A 16 x 16 x 8 int8 input (HWC) and 16 filters of
 * 3 x 3 x 8 int8 give a 14 x 14 x 16 output (no padding, stride 1): int32 accumulation from the
 * bias, then per output channel a requantization as in TFLite Micro (multiply by a Q31
 * multiplier with a 64-bit product, round, shift right, add the output zero point, clamp to
 * int8). The input has zero point -3, subtracted before each multiply.
 */
#include "kernel.h"

#define H 16
#define W 16
#define CI 8
#define CO 16
#define K 3
#define OH (H - K + 1)
#define OW (W - K + 1)
#define IN_ZERO (-3)
#define OUT_ZERO 5
#define SHIFT 11

const char *const kernel_name = "conv2d-int8";

static int8_t input[H][W][CI];
static int8_t filter[CO][K][K][CI];
static int32_t bias[CO];
static int32_t multiplier[CO];
static int8_t output[OH][OW][CO];

void kernel_init(void)
{
    lcg_state = 0x636f6e76u;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            for (int c = 0; c < CI; c++)
                input[y][x][c] = (int8_t)(lcg_next() >> 24);
    for (int o = 0; o < CO; o++) {
        for (int ky = 0; ky < K; ky++)
            for (int kx = 0; kx < K; kx++)
                for (int c = 0; c < CI; c++)
                    filter[o][ky][kx][c] = (int8_t)(lcg_next() >> 24);
        bias[o] = (int32_t)(lcg_next() >> 16) - 32768;
        multiplier[o] = (int32_t)(0x40000000u + (lcg_next() >> 2));
    }
}

void kernel_run(void)
{
    for (int y = 0; y < OH; y++)
        for (int x = 0; x < OW; x++)
            for (int o = 0; o < CO; o++) {
                int32_t acc = bias[o];
                for (int ky = 0; ky < K; ky++)
                    for (int kx = 0; kx < K; kx++) {
                        const int8_t *in = input[y + ky][x + kx];
                        const int8_t *f = filter[o][ky][kx];
                        for (int c = 0; c < CI; c++)
                            acc += (in[c] - IN_ZERO) * f[c];
                    }
                int64_t scaled = ((int64_t)acc * multiplier[o] + ((int64_t)1 << (30 + SHIFT))) >> (31 + SHIFT);
                int32_t v = (int32_t)scaled + OUT_ZERO;
                output[y][x][o] = (int8_t)(v > 127 ? 127 : v < -128 ? -128 : v);
            }
}

uint32_t kernel_checksum(void)
{
    uint32_t h = 0;
    const uint8_t *bytes = (const uint8_t *)output;
    for (unsigned i = 0; i < sizeof output; i += 4)
        h = fold(h, (uint32_t)bytes[i] | (uint32_t)bytes[i + 1] << 8 | (uint32_t)bytes[i + 2] << 16 | (uint32_t)bytes[i + 3] << 24);
    return h;
}
