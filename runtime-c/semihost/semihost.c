#include "bento/semihost.h"

#include <stdint.h>

#define SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

void bento_exit(int code) {
    /* SYS_EXIT_EXTENDED carries the full exit code; plain SYS_EXIT only says success or not. */
    volatile uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)code};
    register uint32_t op __asm__("r0") = SYS_EXIT_EXTENDED;
    register volatile uint32_t *arg __asm__("r1") = block;
    __asm__ volatile("bkpt 0xab" : : "r"(op), "r"(arg) : "memory");
    /* Only reached without a debugger or emulator listening: stop here. */
    for (;;) {
        __asm__ volatile("wfi");
    }
}
