/* AN3155 framing shared by the commands: replies, bytes with the in-command timeout, and the
 * 4-byte big-endian address with its XOR checksum. */
#ifndef BOOTLOADER_FRAME_H
#define BOOTLOADER_FRAME_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    FRAME_OK,
    FRAME_CORRUPT, /* complete, but the checksum is wrong: answer NACK */
    FRAME_LOST,    /* the host went quiet mid-frame: abandon the command without a reply */
} frame_status;

void frame_ack(void);
void frame_nack(void);
void frame_send(uint8_t byte);

/* The next byte of a command; false once BYTE_TIMEOUT_TICKS pass without one. */
bool frame_receive(uint8_t *byte);

/* An address frame, resolved out of the STM32 flash alias. */
frame_status frame_receive_address(uint32_t *address);

#endif
