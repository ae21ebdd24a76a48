/* Starting an application the way the core does at reset, from the bootloader's thread mode.
 * The bootloader enables no interrupt, exception or peripheral interrupt, so nothing needs to be
 * undone; the UART stays configured, which an application's own init simply repeats. */
#include "boot.h"

#include "layout.h"
#include "serial.h"

#include "bento/scb.h"

/* VTOR ignores address bits [6:0] on QEMU's M4 and M7 (and bento aligns tables to 128). */
#define VECTOR_TABLE_ALIGN 128u
#define THUMB_BIT          1u

bool boot_can_start(uint32_t vectors) {
    if (vectors < SLOT_START || vectors > SLOT_END - 8u || vectors % VECTOR_TABLE_ALIGN != 0) {
        return false;
    }
    const volatile uint32_t *table = (const volatile uint32_t *)vectors;
    const uint32_t stack_top = table[0];
    const uint32_t reset = table[1];
    const uint32_t entry = reset & ~THUMB_BIT;
    return stack_top % 4u == 0 && (reset & THUMB_BIT) != 0 && entry >= SLOT_START &&
           entry < SLOT_END;
}

void boot_start(uint32_t vectors) {
    const volatile uint32_t *table = (const volatile uint32_t *)vectors;
    const uint32_t stack_top = table[0];
    const uint32_t reset = table[1];

    /* Let the last reply (GO's ACK) leave before the application reconfigures the UART. */
    serial_flush();
    SCB_VTOR = vectors;
    bento_barrier();
    /* Nothing may touch the old stack after MSP moves, so both steps are one asm block. */
    __asm__ volatile("msr msp, %0\n\tbx %1" : : "r"(stack_top), "r"(reset) : "memory");
    __builtin_unreachable();
}
