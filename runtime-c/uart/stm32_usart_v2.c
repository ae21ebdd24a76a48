/* STM32 USART with the newer register layout (F0, F3, F7, L0, L4, G0...: CR1 first, then BRR,
 * ISR, ICR, RDR, TDR), polled. BENTO_UART_BASE, BENTO_UART_CLOCK_HZ (the clock the USART
 * divides) and BENTO_UART_BAUD come from the board file; its bus clock and pins are the board
 * file's setup writes. Not emulated here (QEMU 7.2 models no part with it). */
#include <stdint.h>

#include "bento/console.h"

#define USART_CR1 (*(volatile uint32_t *)(BENTO_UART_BASE + 0x00u))
#define USART_BRR (*(volatile uint32_t *)(BENTO_UART_BASE + 0x0Cu))
#define USART_ISR (*(volatile uint32_t *)(BENTO_UART_BASE + 0x1Cu))
#define USART_ICR (*(volatile uint32_t *)(BENTO_UART_BASE + 0x20u))
#define USART_RDR (*(volatile uint32_t *)(BENTO_UART_BASE + 0x24u))
#define USART_TDR (*(volatile uint32_t *)(BENTO_UART_BASE + 0x28u))

#define CR1_UE    (1u << 0)
#define CR1_RE    (1u << 2)
#define CR1_TE    (1u << 3)
#define ISR_ORE   (1u << 3)
#define ISR_TC    (1u << 6)
#define ISR_RXNE  (1u << 5)
#define ISR_TXE   (1u << 7)
#define ICR_ORECF (1u << 3)

void bento_console_init(void) {
    USART_CR1 = 0u; /* BRR may only be written while the USART is disabled */
    /* 16x oversampling (OVER8 = 0): BRR = f_ck / baud, rounded. */
    USART_BRR = (BENTO_UART_CLOCK_HZ + BENTO_UART_BAUD / 2u) / BENTO_UART_BAUD;
    USART_CR1 = CR1_UE | CR1_TE | CR1_RE; /* 8N1 */
}

void bento_console_putc(char c) {
    while (!(USART_ISR & ISR_TXE)) {
    }
    USART_TDR = (uint8_t)c;
}

void bento_console_flush(void) {
    while (!(USART_ISR & ISR_TC)) {
    }
}

int bento_console_getc(void) {
    const uint32_t isr = USART_ISR;
    if (isr & ISR_ORE) {
        USART_ICR = ICR_ORECF; /* an overrun stops reception until it is cleared */
    }
    if (!(isr & ISR_RXNE)) {
        return -1;
    }
    return (int)(USART_RDR & 0xffu);
}

#include "console_text.h"
