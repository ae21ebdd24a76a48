/* The bootloader's vector table and reset handler. It needs only the core's own exceptions:
 * it enables no interrupt. A fault here is a bug, and resetting is the way back to a state a
 * host can talk to. */
#include <stdint.h>

#include "layout.h"

#include "bento/scb.h"

extern uint32_t __bootloader_stack_top[];
extern uint32_t __bootloader_data_start[];
extern uint32_t __bootloader_data_end[];
extern uint32_t __bootloader_data_load[];
extern uint32_t __bootloader_bss_start[];
extern uint32_t __bootloader_bss_end[];

extern void bootloader_main(void) __attribute__((noreturn));

void bootloader_reset(void) __attribute__((noreturn));
static void reset_system(void) __attribute__((noreturn));

#define SCB_AIRCR           BENTO_REG(0xE000ED0Cu)
#define AIRCR_VECTKEY       (0x05FAu << 16)
#define AIRCR_SYSRESETREQ   (1u << 2)

typedef void (*vector_t)(void);

__attribute__((section(".vectors"), used)) static const vector_t vectors[16] = {
    [0] = (vector_t)__bootloader_stack_top,
    [1] = bootloader_reset,
    [2 ... 15] = reset_system,
};

void bootloader_reset(void) {
    /* Publishes BOOTLOADER_END, whatever the build set it to, as an absolute symbol so that
     * bootloader.ld can check the image ends below it. Emits no instructions. */
    __asm__(".globl __bootloader_region_end\n\t.set __bootloader_region_end, %c0" : : "i"(BOOTLOADER_END));
    /* volatile: there is no libc, and clang would make these loops memcpy and memset calls. */
    volatile uint32_t *source = __bootloader_data_load;
    for (volatile uint32_t *word = __bootloader_data_start; word < __bootloader_data_end;) {
        *word++ = *source++;
    }
    for (volatile uint32_t *word = __bootloader_bss_start; word < __bootloader_bss_end;) {
        *word++ = 0;
    }
    bootloader_main();
}

static void reset_system(void) {
    bento_barrier();
    SCB_AIRCR = AIRCR_VECTKEY | AIRCR_SYSRESETREQ;
    bento_barrier();
    for (;;) {
    }
}
