/* The text half of bento/console.h, on top of a driver's bento_console_putc. Included once by
 * each UART driver (runtime-c/uart/), so the whole console is one object per kind. */
#ifndef BENTO_UART_CONSOLE_TEXT_H
#define BENTO_UART_CONSOLE_TEXT_H

#include "bento/console.h"

void bento_console_write(const char *buf, size_t len) {
    for (size_t i = 0; i < len; i++) {
        bento_console_putc(buf[i]);
    }
}

void bento_console_puts(const char *s) {
    while (*s) {
        bento_console_putc(*s++);
    }
}

void bento_console_hex32(uint32_t value) {
    static const char digits[] = "0123456789abcdef";
    bento_console_puts("0x");
    for (int shift = 28; shift >= 0; shift -= 4) {
        bento_console_putc(digits[(value >> shift) & 0xf]);
    }
}

#endif
