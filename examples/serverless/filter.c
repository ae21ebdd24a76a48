/* A 16-tap low-pass FIR (a windowed sinc, Q15 taps) over little-endian int16 samples: the same
 * number of samples out, each the filtered value, the first 15 computed with zeros before the
 * block. An odd byte count is refused. */
#include <stddef.h>
#include <stdint.h>

#include "bento_box.h"

#define TAPS 16

static const int16_t taps[TAPS] = {-92, -184, 0, 919, 2574, 4505, 6031, 6632, 6031, 4505, 2574, 919, 0, -184, -92, 0};

static int16_t sample(const uint8_t *p, size_t i) {
    return (int16_t)(p[2 * i] | p[2 * i + 1] << 8);
}

ssize_t handle(const uint8_t *req, size_t len, uint8_t *resp, size_t cap) {
    if (len % 2 != 0) {
        return -32;
    }
    if (len > cap) {
        return -33;
    }
    size_t n = len / 2;
    for (size_t i = 0; i < n; i++) {
        int32_t acc = 0;
        for (size_t k = 0; k < TAPS && k <= i; k++) {
            acc += (int32_t)taps[k] * sample(req, i - k);
        }
        int32_t y = (acc + (1 << 14)) >> 15;
        y = y > INT16_MAX ? INT16_MAX : y < INT16_MIN ? INT16_MIN : y;
        resp[2 * i] = (uint8_t)y;
        resp[2 * i + 1] = (uint8_t)((uint16_t)y >> 8);
    }
    return (ssize_t)len;
}
