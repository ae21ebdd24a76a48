/* Handing the core over to an application through its vector table. */
#ifndef BOOTLOADER_BOOT_H
#define BOOTLOADER_BOOT_H

#include <stdbool.h>
#include <stdint.h>

/* The table at `vectors` (resolved) is one the core can start from: in the slot, aligned for
 * VTOR, with a word-aligned stack pointer and a Thumb reset vector into the slot. */
bool boot_can_start(uint32_t vectors);

/* Points VTOR at the table, loads MSP from its first word and jumps to its reset vector. */
__attribute__((noreturn)) void boot_start(uint32_t vectors);

#endif
