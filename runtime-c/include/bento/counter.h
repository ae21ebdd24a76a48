/* The board's free-running counter (FPGAIO COUNTER on the MPS2 boards; a timer the runtime
 * starts on others, runtime-c/counter/). Under QEMU with -icount shift=0 one tick is
 * BENTO_COUNTER_HZ-th of a second of virtual time. */
#ifndef BENTO_COUNTER_H
#define BENTO_COUNTER_H

#include <stdint.h>

/* Starts the counter at reset, for kinds that need it (BENTO_COUNTER_INIT). */
void bento_counter_init(void);

static inline uint32_t bento_counter_read(void) {
#ifdef BENTO_COUNTER_DOWN
    return ~*(volatile const uint32_t *)BENTO_COUNTER_ADDRESS;
#else
    return *(volatile const uint32_t *)BENTO_COUNTER_ADDRESS;
#endif
}

#endif
