/* The free-running counter on a CMSDK APB watchdog (QEMU models the Stellaris watchdog as one):
 * WDOGVALUE counts down from WDOGLOAD at the watchdog clock once INTEN is set; bento/counter.h
 * reads it inverted (BENTO_COUNTER_DOWN), so it counts up. Without RESEN a time-out only pends an
 * interrupt, which stays masked, and the count goes on from WDOGLOAD. BENTO_COUNTER_ADDRESS is
 * WDOGVALUE. */
#include <stdint.h>

#include "bento/counter.h"

#define WDOG_BASE    (BENTO_COUNTER_ADDRESS - 0x04u)
#define WDOG_LOAD    (*(volatile uint32_t *)(WDOG_BASE + 0x000u))
#define WDOG_CONTROL (*(volatile uint32_t *)(WDOG_BASE + 0x008u))
#define WDOG_LOCK    (*(volatile uint32_t *)(WDOG_BASE + 0xC00u))

#define CONTROL_INTEN (1u << 0)
#define LOCK_KEY      0x1ACCE551u

void bento_counter_init(void) {
    WDOG_LOCK = LOCK_KEY;
    WDOG_LOAD = 0xFFFFFFFFu;
    WDOG_CONTROL = CONTROL_INTEN;
    WDOG_LOCK = 0u;
}
