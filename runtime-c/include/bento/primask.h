/* Short critical sections: interrupts held off (PRIMASK) and given back as they were, so the
 * sections nest. Faults and NMI still come. */
#ifndef BENTO_PRIMASK_H
#define BENTO_PRIMASK_H

#include <stdint.h>

static inline uint32_t bento_hold_interrupts(void) {
    uint32_t primask;
    __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask) : : "memory");
    return primask;
}

static inline void bento_release_interrupts(uint32_t primask) {
    __asm__ volatile("msr primask, %0" : : "r"(primask) : "memory");
}

#endif
