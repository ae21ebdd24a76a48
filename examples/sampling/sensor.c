/* The sensor box: one sample per TIMER0 interrupt, up to SAMPLES of them. The "sensor" is a
 * simulated one (a triangle wave with a little pseudo-random noise), a function of the sample's
 * index, so the statistics are the same however fast the emulator runs. */
#include "bento_sensor.h"

#define SAMPLES 64u

static int32_t samples[SAMPLES];
static uint32_t taken;
static uint32_t noise = 12345u;

static int32_t read_sensor(uint32_t i) {
    int32_t wave = (int32_t)(i % 32u < 16u ? i % 32u : 32u - i % 32u) * 100;
    noise = noise * 1664525u + 1013904223u;
    return wave + (int32_t)(noise >> 28) - 8;
}

void TIMER0_IRQHandler(void) {
    timer_ack();
    if (taken < SAMPLES) {
        samples[taken] = read_sensor(taken);
        taken++;
    }
}

uint32_t sensor_count(void) {
    return taken;
}

/* out = { mean, min, max } of the samples taken so far. */
int32_t sensor_stats(int32_t out[3]) {
    if (taken == 0u) {
        return -32;
    }
    int32_t sum = 0, lo = samples[0], hi = samples[0];
    for (uint32_t i = 0; i < taken; i++) {
        sum += samples[i];
        lo = samples[i] < lo ? samples[i] : lo;
        hi = samples[i] > hi ? samples[i] : hi;
    }
    out[0] = sum / (int32_t)taken;
    out[1] = lo;
    out[2] = hi;
    return 0;
}
