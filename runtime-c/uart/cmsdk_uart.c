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

void bento_console_flush(void) {
    /* QEMU's model holds the byte (TX_FULL) while its host side would block. */
    while (UART_STATE & STATE_TX_FULL) {
    }
}

#include "console_text.h"

int bento_console_getc(void) {
    if (!(UART_STATE & STATE_RX_FULL)) {
        return -1;
    }
    return (int)(UART_DATA & 0xff);
}
