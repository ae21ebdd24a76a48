/* Arm CMSDK APB UART registers, shared by the runtime's console and the bootloader.
 * BENTO_UART_BASE comes from the board file. */
#ifndef BENTO_CMSDK_UART_H
#define BENTO_CMSDK_UART_H

#include <stdint.h>

#define UART_DATA    (*(volatile uint32_t *)(BENTO_UART_BASE + 0x00))
#define UART_STATE   (*(volatile uint32_t *)(BENTO_UART_BASE + 0x04))
#define UART_CTRL    (*(volatile uint32_t *)(BENTO_UART_BASE + 0x08))
#define UART_BAUDDIV (*(volatile uint32_t *)(BENTO_UART_BASE + 0x10))

#define STATE_TX_FULL 0x1u
#define STATE_RX_FULL 0x2u
#define CTRL_TX_EN    0x1u
#define CTRL_RX_EN    0x2u

/* QEMU's model keeps TX-full set forever unless BAUDDIV >= 16 and TX is enabled before the
 * first write. */
static inline void bento_cmsdk_uart_init(void) {
    UART_BAUDDIV = 16;
    UART_CTRL = CTRL_TX_EN | CTRL_RX_EN;
}

#endif
