/*
 * biquad-q31: a cascade of four second-order IIR sections (direct form I) over 8,192 Q31
 * samples, in place. Coefficients are Q30 (so |a1| may reach 2), products accumulate in 64
 * bits (32x32->64 multiplies), and each section's output is the accumulator shifted back by
 * 30, saturated to int32. The input is a square wave plus noise at about half scale.
 */
#include "kernel.h"

#define SAMPLES 8192
#define SECTIONS 4
#define Q30(x) ((int32_t)((x) * 1073741824.0))

const char *const kernel_name = "biquad-q31";

struct section {
    int32_t b0, b1, b2, a1, a2;
    int32_t x1, x2, y1, y2;
};

/* Low-pass sections with poles at radius sqrt(a2): b = g (1, 2, 1), g = (1 + a1 + a2) / 4 for
 * unit gain at DC. a1 and a2 are as in y = b.x - a1 y1 - a2 y2. */
static const int32_t design[SECTIONS][5] = {
    { Q30(0.0525), Q30(0.105), Q30(0.0525), Q30(-1.6), Q30(0.81) },
    { Q30(0.13), Q30(0.26), Q30(0.13), Q30(-1.2), Q30(0.72) },
    { Q30(0.26), Q30(0.52), Q30(0.26), Q30(-0.6), Q30(0.64) },
    { Q30(0.425), Q30(0.85), Q30(0.425), Q30(0.2), Q30(0.5) },
};

static int32_t signal[SAMPLES];
static struct section cascade[SECTIONS];

void kernel_init(void)
{
    lcg_state = 0x69697231u;
    for (int i = 0; i < SAMPLES; i++) {
        int32_t square = (i / 64) % 2 ? 0x30000000 : -0x30000000;
        int32_t noise = (int32_t)lcg_next() >> 3;
        signal[i] = square + noise;
    }
    for (int s = 0; s < SECTIONS; s++) {
        cascade[s].b0 = design[s][0];
        cascade[s].b1 = design[s][1];
        cascade[s].b2 = design[s][2];
        cascade[s].a1 = design[s][3];
        cascade[s].a2 = design[s][4];
        cascade[s].x1 = cascade[s].x2 = cascade[s].y1 = cascade[s].y2 = 0;
    }
}

static int32_t saturate(int64_t v)
{
    return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int32_t)v;
}

void kernel_run(void)
{
    for (int s = 0; s < SECTIONS; s++) {
        struct section *q = &cascade[s];
        int32_t x1 = q->x1, x2 = q->x2, y1 = q->y1, y2 = q->y2;
        for (int i = 0; i < SAMPLES; i++) {
            int32_t x0 = signal[i];
            int64_t acc = (int64_t)q->b0 * x0 + (int64_t)q->b1 * x1 + (int64_t)q->b2 * x2 - (int64_t)q->a1 * y1 - (int64_t)q->a2 * y2;
            int32_t y0 = saturate(acc >> 30);
            x2 = x1;
            x1 = x0;
            y2 = y1;
            y1 = y0;
            signal[i] = y0;
        }
        q->x1 = x1;
        q->x2 = x2;
        q->y1 = y1;
        q->y2 = y2;
    }
}

uint32_t kernel_checksum(void)
{
    uint32_t h = 0;
    for (int i = 0; i < SAMPLES; i++)
        h = fold(h, (uint32_t)signal[i]);
    return h;
}
