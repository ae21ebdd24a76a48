/* Where everything is, seen from the bootloader: its own region, the application slot, the
 * STM32 flash alias, and the board's UART and counter. Every fixed address and limit of the
 * bootloader lives here. The defaults fit both MPS2 boards; a build may pass the board's own
 * values with -D (bento does, from the board file), and those win. */
#ifndef BOOTLOADER_LAYOUT_H
#define BOOTLOADER_LAYOUT_H

/* Code memory ("flash"). On QEMU's MPS2 boards it is RAM, so programming is a plain store. */
#ifndef CODE_BASE
#define CODE_BASE 0x00000000u
#endif
#ifndef CODE_END
#define CODE_END 0x00400000u
#endif

/* STM32 parts map flash at 0x08000000, and clients such as stm32flash address it there. */
#ifndef FLASH_ALIAS_BASE
#define FLASH_ALIAS_BASE 0x08000000u
#endif
#define FLASH_ALIAS_END (FLASH_ALIAS_BASE + (CODE_END - CODE_BASE))

/* [CODE_BASE, BOOTLOADER_END) holds this bootloader; no command may erase or write it.
 * bootloader.ld checks that the image ends below it. */
#ifndef BOOTLOADER_END
#define BOOTLOADER_END 0x00004000u
#endif

/* The application slot: a header block of IMAGE_OFFSET bytes, then the image, vector table
 * first. */
#ifndef IMAGE_OFFSET
#define IMAGE_OFFSET 0x100u
#endif
#define SLOT_START BOOTLOADER_END
#define SLOT_END   CODE_END

/* Erase pages as an STM32F1 high-density part has them, numbered from CODE_BASE. */
#ifndef PAGE_SIZE
#define PAGE_SIZE 2048u
#endif
#define PAGE_COUNT      ((CODE_END - CODE_BASE) / PAGE_SIZE)
#define FIRST_SLOT_PAGE ((SLOT_START - CODE_BASE) / PAGE_SIZE)

/* SRAM: readable by the host. The bootloader's own RAM (bootloader.ld) is its first 8 KiB. */
#define SRAM_BASE 0x20000000u
#define SRAM_END  0x20400000u

/* The hand-off word, the last of the bootloader's 8 KiB of RAM (bootloader.ld keeps it out of
 * .bss, so startup does not clear it). A running application that receives the host's 0x7F
 * stores HANDOFF_SYNCED here and jumps to the bootloader's reset vector: the bootloader then
 * answers that 0x7F at once instead of the host waiting out a timeout and trying again. */
#define HANDOFF_ADDRESS (SRAM_BASE + 0x1FFCu)
#define HANDOFF_SYNCED  0xB007C0DEu

#ifndef BENTO_UART_BASE
#define BENTO_UART_BASE 0x40004000u
#endif
#ifndef BENTO_COUNTER_ADDRESS
#define BENTO_COUNTER_ADDRESS 0x40028018u
#endif
#ifndef BENTO_COUNTER_HZ
#define BENTO_COUNTER_HZ 25000000u
#endif

/* How long a host has after reset to send 0x7F before a valid application starts. A QEMU pty
 * passes a newly connected host's bytes on only at its next 1 s reconnect poll, so hosts that
 * must catch the window there need a build with a longer one. */
#ifndef AUTOBOOT_WINDOW_MS
#define AUTOBOOT_WINDOW_MS 500u
#endif
#define AUTOBOOT_WINDOW_TICKS (AUTOBOOT_WINDOW_MS * (BENTO_COUNTER_HZ / 1000u))
/* Silence this long in the middle of a command abandons it. */
#define BYTE_TIMEOUT_TICKS BENTO_COUNTER_HZ

#endif
