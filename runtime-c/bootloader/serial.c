/* UART0 byte I/O for the bootloader. Register layout as in runtime-c/uart/cmsdk_uart.c; this copy
 * adds receive deadlines and keeps the bootloader free of the application runtime. */
#include "serial.h"

#include "layout.h"

#include "bento/counter.h"

#define UART_DATA    (*(volatile uint32_t *)(BENTO_UART_BASE + 0x00))
#define UART_STATE   (*(volatile uint32_t *)(BENTO_UART_BASE + 0x04))
#define UART_CTRL    (*(volatile uint32_t *)(BENTO_UART_BASE + 0x08))
#define UART_BAUDDIV (*(volatile uint32_t *)(BENTO_UART_BASE + 0x10))

#define STATE_TX_FULL 0x1u
#define STATE_RX_FULL 0x2u
#define CTRL_TX_EN    0x1u
#define CTRL_RX_EN    0x2u

void serial_init(void) {
    /* QEMU's model keeps TX-full set forever unless BAUDDIV >= 16 and TX is enabled before
     * the first write. Interrupt enables stay clear: everything here is polled. */
    UART_BAUDDIV = 16;
    UART_CTRL = CTRL_TX_EN | CTRL_RX_EN;
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
