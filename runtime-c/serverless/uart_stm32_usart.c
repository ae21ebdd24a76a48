/* The request UART on an STM32 USART (F1/F2/F4 layout: SR, DR, BRR, CR1), driven by interrupt:
 * RXNE takes each byte as it comes. Bytes to send go into the data register whenever it is empty
 * (TXE), from the writer and from the handler; TXEIE is on only while bytes wait. QEMU 7.2's model
 * never raises the TX interrupt but always reads TXE set, so there everything leaves at once.
 * BENTO_SL_UART_BASE, _CLOCK_HZ and _BAUD come from the board's [uarts.<NAME>]; on silicon its
 * bus clock and pins are the board's `setup` writes. */
#include "bento/primask.h"
#include "internal.h"

#define REG(offset) (*(volatile uint32_t *)(BENTO_SL_UART_BASE + (offset)))
#define SR REG(0x00)
#define DR REG(0x04)
#define BRR REG(0x08)
#define CR1 REG(0x0c)

#define SR_ORE (1u << 3)
#define SR_RXNE (1u << 5)
#define SR_TXE (1u << 7)
#define CR1_RE (1u << 2)
#define CR1_TE (1u << 3)
#define CR1_RXNEIE (1u << 5)
#define CR1_TXEIE (1u << 7)
#define CR1_UE (1u << 13)

void sl_uart_init(void) {
    CR1 = 0u;
    BRR = (BENTO_SL_UART_CLOCK_HZ + BENTO_SL_UART_BAUD / 2u) / BENTO_SL_UART_BAUD; /* 16x oversampling */
    CR1 = CR1_UE | CR1_TE | CR1_RE | CR1_RXNEIE;
}

/* Fills the data register while it is empty; asks for TXE's interrupt while bytes remain. */
static void send(void) {
    uint8_t b;
    while (SR & SR_TXE) {
        if (!sl_tx_next(&b)) {
            CR1 &= ~CR1_TXEIE;
            return;
        }
        DR = b;
    }
    CR1 |= CR1_TXEIE;
}

void sl_uart_kick(void) {
    uint32_t held = bento_hold_interrupts();
    send();
    bento_release_interrupts(held);
}

/* RXNE is read again after each byte: QEMU 7.2's model can take the next byte in while DR is read
 * and then lower the interrupt, so a byte may wait with no interrupt for it. */
void bento_sl_uart_isr(void) {
    for (uint32_t sr = SR; sr & (SR_RXNE | SR_ORE); sr = SR) {
        uint8_t b = (uint8_t)DR; /* after SR, also clears an overrun: the lost byte shows as a bad CRC */
        if (sr & SR_RXNE) {
            sl_rx_byte(b);
        }
    }
    if (CR1 & CR1_TXEIE) {
        send();
    }
}
