/* The sensor box, native C running unprivileged under the MPU: it "reads" an ADC, logs the
 * reading through the host, and has the filter box smooth it. With only its own RAM it has no
 * stateful libc (no printf), so it formats its log line by hand. */
#include <string.h>

#include "bento_sensor.h"

/* Stands in for a 12-bit ADC: a rising signal with noise. Constant data stays in code memory,
 * which boxes may read. */
static const int16_t adc_counts[] = {2048, 2112, 1990, 2230, 2406, 2311};
#define READINGS (sizeof adc_counts / sizeof adc_counts[0])

static size_t append_text(char *out, size_t at, const char *text) {
    const size_t n = strlen(text);
    memcpy(out + at, text, n);
    return at + n;
}

static size_t append_uint(char *out, size_t at, uint32_t value) {
    char digits[10];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (n > 0) {
        out[at++] = digits[--n];
    }
    return at;
}

int32_t sample(uint32_t tick) {
    const int32_t reading = adc_counts[tick % READINGS];

    /* The line is built on this box's stack, in the box's own RAM, which is what the glue
     * checks a pointer against (const pointers may also point into code memory). 48 bytes
     * hold the longest line, with a 10-digit tick. */
    char line[48];
    size_t n = append_text(line, 0, "sensor: tick ");
    n = append_uint(line, n, tick);
    n = append_text(line, n, ", adc ");
    n = append_uint(line, n, (uint32_t)reading);
    n = append_text(line, n, " -> filter");
    int32_t err = log_line((const uint8_t *)line, n);
    if (err < 0) {
        return err;
    }

    /* A call into another box: if the filter aborts, its error code comes back here, and the
     * sensor hands it on to the host. */
    return smooth(reading);
}
