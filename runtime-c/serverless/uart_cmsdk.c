/* The request UART on an Arm CMSDK APB UART, driven by interrupt: its RX and TX lines (or the
 * combined line on the MPS2-TZ boards) all run bento_sl_uart_isr. BENTO_SL_UART_BASE comes from
 * the board's [uarts.<NAME>]. The UART holds one byte each way; QEMU's model raises the TX
 * interrupt as a byte leaves, and RX for each byte that arrives (it offers the next only once
 * DATA has been read, so nothing is lost under load). */
#include "bento/primask.h"
#include "internal.h"

#define REG(offset) (*(volatile uint32_t *)(BENTO_SL_UART_BASE + (offset)))
#define DATA REG(0x00)
#define STATE REG(0x04)
#define CTRL REG(0x08)
#define INTSTATUS REG(0x0c) /* write 1s to clear */
#define BAUDDIV REG(0x10)

#define STATE_TX_FULL 0x1u
#define STATE_RX_FULL 0x2u
#define STATE_RX_OVERRUN 0x8u
#define CTRL_TX_EN 0x1u
#define CTRL_RX_EN 0x2u
#define CTRL_TX_INT 0x4u
#define CTRL_RX_INT 0x8u
#define CTRL_RX_OVERRUN_INT 0x20u
/* Bytes one interrupt may hand the transmitter while it keeps taking them. */
#define TX_BURST 16u

static volatile uint8_t sending;

void sl_uart_init(void) {
    uint32_t divider = BENTO_SL_UART_CLOCK_HZ / BENTO_SL_UART_BAUD;
    BAUDDIV = divider < 16u ? 16u : divider; /* below 16 QEMU's model never sends */
    INTSTATUS = 0xfu;
    CTRL = CTRL_TX_EN | CTRL_RX_EN | CTRL_TX_INT | CTRL_RX_INT | CTRL_RX_OVERRUN_INT;
}

/* Hands the transmitter what it takes now; 0 when the ring is empty. */
static int send_some(void) {
    for (uint32_t i = 0; i < TX_BURST && !(STATE & STATE_TX_FULL); i++) {
        uint8_t b;
        if (!sl_tx_next(&b)) {
            return 0;
        }
        DATA = b;
    }
    return 1;
}

void sl_uart_kick(void) {
    uint32_t held = bento_hold_interrupts();
    if (!sending) {
        sending = (uint8_t)send_some();
    }
    bento_release_interrupts(held);
}

void bento_sl_uart_isr(void) {
    INTSTATUS = INTSTATUS;
    if (STATE & STATE_RX_OVERRUN) {
        STATE = STATE_RX_OVERRUN; /* a lost byte shows as a frame whose CRC is wrong */
    }
    while (STATE & STATE_RX_FULL) {
        sl_rx_byte((uint8_t)DATA);
    }
    if (sending) {
        sending = (uint8_t)send_some();
    }
}
