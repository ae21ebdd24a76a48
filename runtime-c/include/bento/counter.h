/* The board's free-running counter (FPGAIO COUNTER on the MPS2 boards). Under QEMU with
 * -icount shift=0 one tick is BENTO_COUNTER_HZ-th of a second of virtual time. */
#ifndef BENTO_COUNTER_H
#define BENTO_COUNTER_H

#include <stdint.h>

static inline uint32_t bento_counter_read(void) {
    return *(volatile const uint32_t *)BENTO_COUNTER_ADDRESS;
}

#endif
