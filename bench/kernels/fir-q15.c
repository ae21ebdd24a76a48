/*
 * fir-q15: a 32-tap low-pass FIR filter in Q15 fixed point over 8192 samples, integer only.
 * Products accumulate in int32 (the sum of |taps| is 46138, so |acc| < 2^31), then round,
 * shift right by 15 and saturate to int16.
 * The taps are a Hamming-windowed sinc with cutoff 0.15 of the sample rate and DC gain 0.95.
 */
#include "kernel.h"

#define TAPS 32
#define SAMPLES 8192

const char *const kernel_name = "fir-q15";

/* input[0 .. TAPS-2] is the history before the first sample */
static int16_t input[SAMPLES + TAPS - 1];
static int16_t output[SAMPLES];
static int16_t taps[TAPS];

static const int16_t lowpass[TAPS] = {
    45, 54, 13, -91, -189, -127, 180, 540,
    525, -156, -1189, -1608, -393, 2634, 6371, 8954,
    8954, 6371, 2634, -393, -1608, -1189, -156, 525,
    540, 180, -127, -189, -91, 13, 54, 45,
};

/* a square wave of period 64 and amplitude 12000 plus noise in -16384..16383 */
void kernel_init(void)
{
    lcg_state = 0x66697231u;
    for (int k = 0; k < TAPS; k++)
        taps[k] = lowpass[k];
    for (int i = 0; i < SAMPLES + TAPS - 1; i++) {
        int32_t square = (i & 32) ? 12000 : -12000;
        int32_t noise = (int32_t)(lcg_next() >> 17) - 16384;
        input[i] = (int16_t)(square + noise);
    }
}

void kernel_run(void)
{
    for (int n = 0; n < SAMPLES; n++) {
        const int16_t *x = &input[n + TAPS - 1];
        int32_t acc = 1 << 14;
        for (int k = 0; k < TAPS; k++)
            acc += (int32_t)taps[k] * x[-k];
        acc >>= 15;
        if (acc > 32767)
            acc = 32767;
        else if (acc < -32768)
            acc = -32768;
        output[n] = (int16_t)acc;
    }
}

uint32_t kernel_checksum(void)
{
    uint32_t h = 0x811c9dc5u;
    for (int n = 0; n < SAMPLES; n += 2)
        h = fold(h, (uint32_t)(uint16_t)output[n] | (uint32_t)(uint16_t)output[n + 1] << 16);
    return h;
}
