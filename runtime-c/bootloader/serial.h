/* The host link: UART0 (Arm CMSDK APB UART), polled, 8N1, with deadlines on the counter so no
 * wait in the middle of a command lasts forever. */
#ifndef BOOTLOADER_SERIAL_H
#define BOOTLOADER_SERIAL_H

#include <stdbool.h>
#include <stdint.h>

void serial_init(void);
void serial_send(uint8_t byte);
/* Returns once the last byte has left the transmit register. */
void serial_flush(void);
/* Waits as long as it takes for the next byte. */
uint8_t serial_receive(void);
/* Waits up to `ticks` counter ticks for the next byte; false when none came. */
bool serial_receive_within(uint8_t *byte, uint32_t ticks);

#endif
