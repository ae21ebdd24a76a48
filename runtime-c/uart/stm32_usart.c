/* STM32 USART (F1/F2/F4 register layout: SR, DR, BRR, CR1), polled. BENTO_UART_BASE,
 * BENTO_UART_CLOCK_HZ (the APB clock the USART divides) and BENTO_UART_BAUD come from the board
 * file. On silicon the USART's bus clock and its pins (RCC enable bits, GPIO alternate function)
 * must be set up before bento_console_init; QEMU's netduinoplus2 needs neither. */
#include <stdint.h>

#include "bento/console.h"

#define USART_SR  (*(volatile uint32_t *)(BENTO_UART_BASE + 0x00u))
#define USART_DR  (*(volatile uint32_t *)(BENTO_UART_BASE + 0x04u))
#define USART_BRR (*(volatile uint32_t *)(BENTO_UART_BASE + 0x08u))
#define USART_CR1 (*(volatile uint32_t *)(BENTO_UART_BASE + 0x0Cu))

#define SR_TC    (1u << 6)
#define SR_RXNE  (1u << 5)
#define SR_TXE   (1u << 7)
#define CR1_RE   (1u << 2)
#define CR1_TE   (1u << 3)
#define CR1_UE   (1u << 13)

void bento_console_init(void) {
    /* 16x oversampling: BRR = f_ck / baud, mantissa in bits 15:4 and fraction in 3:0, which is
     * the same number rounded to the nearest sixteenth. */
    USART_CR1 = 0u;
    USART_BRR = (BENTO_UART_CLOCK_HZ + BENTO_UART_BAUD / 2u) / BENTO_UART_BAUD;
    USART_CR1 = CR1_UE | CR1_TE | CR1_RE; /* 8N1 */
}

void bento_console_putc(char c) {
    while (!(USART_SR & SR_TXE)) {
    }
    USART_DR = (uint8_t)c;
}

void bento_console_flush(void) {
    while (!(USART_SR & SR_TC)) {
    }
}

int bento_console_getc(void) {
    if (!(USART_SR & SR_RXNE)) {
        return -1;
    }
    return (int)(USART_DR & 0xffu);
}

#include "console_text.h"
