/* nRF52 UARTE (the UART with EasyDMA), polled. It cannot be emulated here (QEMU 7.2 has no nRF52
 * machine); written from the nRF52840 Product Specification's UARTE chapter.
 *
 * EasyDMA reads only from Data RAM, never from flash, so every byte goes through a buffer in
 * RAM: the driver copies up to sizeof(tx_buf) bytes there, points TXD.PTR/MAXCNT at it, triggers
 * STARTTX and waits for EVENTS_ENDTX, which says the DMA has read all MAXCNT bytes and the buffer
 * may be reused. Reception keeps a one-byte DMA transfer armed; ENDRX says it is complete.
 * BENTO_UART_BASE, BENTO_UART_BAUD, BENTO_UART_TX_PIN and (optionally) BENTO_UART_RX_PIN come
 * from the board file; a pin is PSEL's PIN (bits 4:0) and PORT (bit 5) fields, pin + 32 * port. */
#include <stdint.h>

#include "bento/console.h"

#define UARTE_REG(off) (*(volatile uint32_t *)(BENTO_UART_BASE + (off)))
#define TASKS_STARTRX    UARTE_REG(0x000u)
#define TASKS_STARTTX    UARTE_REG(0x008u)
#define TASKS_STOPTX     UARTE_REG(0x00Cu)
#define EVENTS_ENDRX     UARTE_REG(0x110u)
#define EVENTS_ENDTX     UARTE_REG(0x120u)
#define EVENTS_ERROR     UARTE_REG(0x124u)
#define EVENTS_TXSTOPPED UARTE_REG(0x158u)
#define ERRORSRC         UARTE_REG(0x480u)
#define ENABLE           UARTE_REG(0x500u)
#define PSEL_RTS         UARTE_REG(0x508u)
#define PSEL_TXD         UARTE_REG(0x50Cu)
#define PSEL_CTS         UARTE_REG(0x510u)
#define PSEL_RXD         UARTE_REG(0x514u)
#define BAUDRATE         UARTE_REG(0x524u)
#define RXD_PTR          UARTE_REG(0x534u)
#define RXD_MAXCNT       UARTE_REG(0x538u)
#define TXD_PTR          UARTE_REG(0x544u)
#define TXD_MAXCNT       UARTE_REG(0x548u)
#define CONFIG           UARTE_REG(0x56Cu)

#define ENABLE_UARTE     8u
#define PSEL_DISCONNECT  0x80000000u /* CONNECT = 1: the signal goes to no pin */

/* GPIO port 0 (P1 for pins 32..47): the TX pin is driven high as an output before the UARTE
 * takes it, so the line idles high (a mark) and no start bit is seen while it is set up. */
#define GPIO_PORT(pin)   (0x50000000u + ((uint32_t)(pin) >> 5) * 0x300u)
#define GPIO_OUTSET(pin) (*(volatile uint32_t *)(GPIO_PORT(pin) + 0x508u))
#define GPIO_DIRSET(pin) (*(volatile uint32_t *)(GPIO_PORT(pin) + 0x518u))

/* BAUDRATE is baud * 2^32 / 16 MHz, rounded to the 4096 the register keeps: 115200 gives
 * 0x01D7E000 and 9600 0x00275000, the values the product specification lists. */
#define BAUDRATE_VALUE ((uint32_t)(((((uint64_t)BENTO_UART_BAUD << 32) / 16000000u) + 0x800u) & ~(uint64_t)0xFFFu))

static uint8_t tx_buf[64];
static volatile uint8_t rx_byte;

static void arm_rx(void) {
#ifdef BENTO_UART_RX_PIN
    EVENTS_ENDRX = 0u;
    RXD_PTR = (uint32_t)(uintptr_t)&rx_byte;
    RXD_MAXCNT = 1u;
    TASKS_STARTRX = 1u;
#endif
}

void bento_console_init(void) {
    ENABLE = 0u; /* PSEL may only change while the UARTE is disabled */
    GPIO_OUTSET(BENTO_UART_TX_PIN) = 1u << (BENTO_UART_TX_PIN & 31u);
    GPIO_DIRSET(BENTO_UART_TX_PIN) = 1u << (BENTO_UART_TX_PIN & 31u);
    PSEL_TXD = BENTO_UART_TX_PIN;
#ifdef BENTO_UART_RX_PIN
    PSEL_RXD = BENTO_UART_RX_PIN;
#else
    PSEL_RXD = PSEL_DISCONNECT;
#endif
    PSEL_RTS = PSEL_DISCONNECT;
    PSEL_CTS = PSEL_DISCONNECT;
    CONFIG = 0u; /* no flow control, no parity, one stop bit */
    BAUDRATE = BAUDRATE_VALUE;
    ENABLE = ENABLE_UARTE;
    arm_rx();
}

static void send(const uint8_t *buf, uint32_t len) {
    EVENTS_ENDTX = 0u;
    TXD_PTR = (uint32_t)(uintptr_t)buf;
    TXD_MAXCNT = len;
    TASKS_STARTTX = 1u;
    while (EVENTS_ENDTX == 0u) {
    }
    EVENTS_ENDTX = 0u;
}

void bento_console_putc(char c) {
    tx_buf[0] = (uint8_t)c;
    send(tx_buf, 1u);
}

void bento_console_flush(void) {
    /* ENDTX only says the DMA has read the buffer; TXSTOPPED comes once the last byte is out. */
    EVENTS_TXSTOPPED = 0u;
    TASKS_STOPTX = 1u;
    while (EVENTS_TXSTOPPED == 0u) {
    }
}

void bento_console_write(const char *buf, size_t len) {
    while (len > 0u) {
        const uint32_t n = len < sizeof(tx_buf) ? (uint32_t)len : (uint32_t)sizeof(tx_buf);
        for (uint32_t i = 0; i < n; i++) {
            tx_buf[i] = (uint8_t)buf[i];
        }
        send(tx_buf, n);
        buf += n;
        len -= n;
    }
}

void bento_console_puts(const char *s) {
    size_t len = 0;
    while (s[len]) {
        len++;
    }
    bento_console_write(s, len);
}

void bento_console_hex32(uint32_t value) {
    static const char digits[] = "0123456789abcdef";
    char text[10] = {'0', 'x'};
    for (int i = 0; i < 8; i++) {
        text[2 + i] = digits[(value >> (28 - 4 * i)) & 0xfu];
    }
    bento_console_write(text, sizeof(text));
}

int bento_console_getc(void) {
#ifdef BENTO_UART_RX_PIN
    if (EVENTS_ERROR != 0u) {
        /* A framing or overrun error: clear it (ERRORSRC is write-1-to-clear) and carry on. */
        ERRORSRC = ERRORSRC;
        EVENTS_ERROR = 0u;
    }
    if (EVENTS_ENDRX == 0u) {
        return -1;
    }
    const int c = rx_byte;
    arm_rx();
    return c;
#else
    return -1;
#endif
}
