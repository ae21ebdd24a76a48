/* Arm PrimeCell PL011 UART (the Stellaris UART0 of QEMU's lm3s6965evb), polled.
 * BENTO_UART_BASE, BENTO_UART_CLOCK_HZ (UARTCLK) and BENTO_UART_BAUD come from the board file. */
#include <stdint.h>

#include "bento/console.h"

#define UART_DR   (*(volatile uint32_t *)(BENTO_UART_BASE + 0x000u))
#define UART_FR   (*(volatile uint32_t *)(BENTO_UART_BASE + 0x018u))
#define UART_IBRD (*(volatile uint32_t *)(BENTO_UART_BASE + 0x024u))
#define UART_FBRD (*(volatile uint32_t *)(BENTO_UART_BASE + 0x028u))
#define UART_LCRH (*(volatile uint32_t *)(BENTO_UART_BASE + 0x02Cu))
#define UART_CR   (*(volatile uint32_t *)(BENTO_UART_BASE + 0x030u))

#define FR_BUSY   (1u << 3)
#define FR_RXFE   (1u << 4)
#define FR_TXFF   (1u << 5)
#define LCRH_FEN  (1u << 4)
#define LCRH_WLEN8 (3u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE    (1u << 8)
#define CR_RXE    (1u << 9)

void bento_console_init(void) {
    /* The divisor is UARTCLK / (16 * baud), with six fraction bits: 64ths, rounded. */
    const uint32_t div64 = (4u * BENTO_UART_CLOCK_HZ + BENTO_UART_BAUD / 2u) / BENTO_UART_BAUD;
    UART_CR = 0u;
    UART_IBRD = div64 >> 6;
    UART_FBRD = div64 & 0x3fu;
    UART_LCRH = LCRH_WLEN8 | LCRH_FEN; /* 8N1 with FIFOs; written after the divisor, which latches it */
    UART_CR = CR_UARTEN | CR_TXE | CR_RXE;
}

void bento_console_putc(char c) {
    while (UART_FR & FR_TXFF) {
    }
    UART_DR = (uint8_t)c;
}

void bento_console_flush(void) {
    while (UART_FR & FR_BUSY) {
    }
}

int bento_console_getc(void) {
    if (UART_FR & FR_RXFE) {
        return -1;
    }
    return (int)(UART_DR & 0xffu);
}

#include "console_text.h"
