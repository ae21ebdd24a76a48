/* The counter box: native C, running unprivileged with only its own RAM reachable (the MPU keeps
 * the rest out). It keeps a running total between calls. */
#include "bento_counter.h"

static int32_t total;

int32_t tally(int32_t step) {
    if (step < 0) {
        /* A fault the box causes on purpose: a store to address 0, which the MPU refuses. The
         * box is aborted, the host's call returns an error, and the box restarts (its RAM reset,
         * so `total` is 0 again) on its next call. */
        *(volatile int32_t *)0 = step;
    }
    total += step;
    return total;
}
