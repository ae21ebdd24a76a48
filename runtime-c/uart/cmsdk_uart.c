/* Arm CMSDK APB UART, polled. BENTO_UART_BASE comes from the board file. */
#include "bento/console.h"

#define UART_DATA    (*(volatile uint32_t *)(BENTO_UART_BASE + 0x00))
#define UART_STATE   (*(volatile uint32_t *)(BENTO_UART_BASE + 0x04))
#define UART_CTRL    (*(volatile uint32_t *)(BENTO_UART_BASE + 0x08))
#define UART_BAUDDIV (*(volatile uint32_t *)(BENTO_UART_BASE + 0x10))

#define STATE_TX_FULL 0x1u
#define STATE_RX_FULL 0x2u
#define CTRL_TX_EN    0x1u
#define CTRL_RX_EN    0x2u

void bento_console_init(void) {
    /* QEMU's model keeps TX-full set forever unless BAUDDIV >= 16 and TX is enabled
     * before the first write. */
    UART_BAUDDIV = 16;
    UART_CTRL = CTRL_TX_EN | CTRL_RX_EN;
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
