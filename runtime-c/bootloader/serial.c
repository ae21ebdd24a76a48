/* UART0 byte I/O for the bootloader (registers in bento/cmsdk_uart.h), with receive deadlines
 * and nothing of the application runtime. */
#include "serial.h"

#include "layout.h"

#include "bento/cmsdk_uart.h"
#include "bento/counter.h"

void serial_init(void) {
    /* Interrupt enables stay clear: everything here is polled. */
    bento_cmsdk_uart_init();
}

void serial_send(uint8_t byte) {
    serial_flush();
    UART_DATA = byte;
}

void serial_flush(void) {
    while (UART_STATE & STATE_TX_FULL) {
    }
}

uint8_t serial_receive(void) {
    while (!(UART_STATE & STATE_RX_FULL)) {
    }
    return (uint8_t)UART_DATA;
}

bool serial_receive_within(uint8_t *byte, uint32_t ticks) {
    const uint32_t start = bento_counter_read();
    while (!(UART_STATE & STATE_RX_FULL)) {
        /* Unsigned difference: right across the counter's wrap (every 171 s at 25 MHz). */
        if (bento_counter_read() - start >= ticks) {
            return false;
        }
    }
    *byte = (uint8_t)UART_DATA;
    return true;
}
