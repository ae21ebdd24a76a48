/* The filter box (wasm): an exponential moving average of the readings it is given. Its state
 * persists between calls in the box's own memory. */
#include <stdbool.h>
#include <stdio.h>

#include "bento_filter.h"

/* avg += (reading - avg) / 2^WEIGHT_SHIFT: each new reading counts for a quarter. */
#define WEIGHT_SHIFT 2

static int32_t average;
static bool primed;

int32_t smooth(int32_t reading) {
    if (!primed) {
        average = reading; /* start at the first reading instead of ramping up from 0 */
        primed = true;
    } else {
        average += (reading - average) / (1 << WEIGHT_SHIFT);
    }

    char line[64];
    const int n = snprintf(line, sizeof line, "filter: adc %ld, average %ld -> sensor", (long)reading, (long)average);
    if (n < 0 || (size_t)n >= sizeof line) {
        return BENTO_E_ABORTED; /* cannot happen with these widths; never log a cut line */
    }
    const int32_t err = log_line((const uint8_t *)line, (size_t)n);
    return err < 0 ? err : average;
}
