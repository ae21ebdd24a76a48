/* The free-running counter on the core's own cycle counter, DWT_CYCCNT (Cortex-M3/M4/M7 parts;
 * QEMU 7.2 does not model it): it counts core clock cycles once trace is enabled. */
#include <stdint.h>

#include "bento/counter.h"

#define DEMCR     (*(volatile uint32_t *)0xE000EDFCu)
#define DWT_CTRL  (*(volatile uint32_t *)0xE0001000u)
#define DWT_LAR   (*(volatile uint32_t *)0xE0001FB0u)

#define DEMCR_TRCENA   (1u << 24)
#define CTRL_CYCCNTENA (1u << 0)

void bento_counter_init(void) {
    DEMCR |= DEMCR_TRCENA;
    DWT_LAR = 0xC5ACCE55u; /* the Cortex-M7 locks the DWT until this key is written */
    *(volatile uint32_t *)BENTO_COUNTER_ADDRESS = 0u;
    DWT_CTRL |= CTRL_CYCCNTENA;
}
