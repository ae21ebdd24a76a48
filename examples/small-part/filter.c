/* The filter box: the mean of the last four readings, kept in the box's own memory. */
#include <stdint.h>

#include "bento_filter.h"

#define WINDOW 4

static int32_t last[WINDOW];
static uint32_t seen;

int32_t smooth(int32_t milli) {
    last[seen % WINDOW] = milli;
    seen++;
    const uint32_t n = seen < WINDOW ? seen : WINDOW;
    int32_t sum = 0;
    for (uint32_t i = 0; i < n; i++) sum += last[i];
    return sum / (int32_t)n;
}
