/* Arm CMSDK APB UART, polled. BENTO_UART_BASE comes from the board file. */
#include "bento/cmsdk_uart.h"
#include "bento/console.h"

void bento_console_init(void) {
    bento_cmsdk_uart_init();
}

void bento_console_putc(char c) {
    while (UART_STATE & STATE_TX_FULL) {
    }
    UART_DATA = (uint8_t)c;
}

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

int bento_console_getc(void) {
    if (!(UART_STATE & STATE_RX_FULL)) {
        return -1;
    }
    return (int)(UART_DATA & 0xff);
}
