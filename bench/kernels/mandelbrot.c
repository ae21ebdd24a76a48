/*
 * mandelbrot: escape-time iteration counts for an 80 x 80 grid over [-2, 0.5) x [-1.25, 1.25)
 * in single precision (f32), at most MAX_ITER iterations a point. The step, 2.5 / 80 =
 * 2^-5, makes every c exact. Per iteration: 4 multiplications (one of them by 2), 4 additions
 * or subtractions, 1 compare.
 */
#include "kernel.h"

#define W 80
#define H 80
#define MAX_ITER 64

const char *const kernel_name = "mandelbrot";

static uint8_t counts[H][W];
/* set in kernel_init, not constants, so the compiler cannot fold the grid */
static float re_left;
static float im_top;
static float pixel_step;

void kernel_init(void)
{
    re_left = -2.0f;
    im_top = -1.25f;
    pixel_step = 0.03125f;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            counts[y][x] = 0;
}

void kernel_run(void)
{
    for (int y = 0; y < H; y++) {
        float ci = im_top + (float)y * pixel_step;
        for (int x = 0; x < W; x++) {
            float cr = re_left + (float)x * pixel_step;
            float zr = 0.0f;
            float zi = 0.0f;
            int n = 0;
            while (n < MAX_ITER) {
                float zr2 = zr * zr;
                float zi2 = zi * zi;
                if (zr2 + zi2 > 4.0f)
                    break;
                zi = 2.0f * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                n++;
            }
            counts[y][x] = (uint8_t)n;
        }
    }
}

uint32_t kernel_checksum(void)
{
    uint32_t h = 0x811c9dc5u;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x += 4)
            h = fold(h, (uint32_t)counts[y][x] | (uint32_t)counts[y][x + 1] << 8
                            | (uint32_t)counts[y][x + 2] << 16 | (uint32_t)counts[y][x + 3] << 24);
    return h;
}
