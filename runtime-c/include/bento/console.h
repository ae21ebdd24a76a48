/* The console UART: polled, so it works before interrupts and inside fault handlers. */
#ifndef BENTO_CONSOLE_H
#define BENTO_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

void bento_console_init(void);
void bento_console_putc(char c);
void bento_console_write(const char *buf, size_t len);
void bento_console_puts(const char *s);
/* Prints "0x" and eight hex digits, without printf (usable in fault handlers). */
void bento_console_hex32(uint32_t value);
/* Waits until every byte written has left the transmitter: before the run ends, whose exit would
 * drop a byte the emulator or the shift register still holds. */
void bento_console_flush(void);
/* Returns the next received byte, or -1 when none is waiting. */
int bento_console_getc(void);

#endif
