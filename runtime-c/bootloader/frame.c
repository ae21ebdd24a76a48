/* AN3155 frame pieces. A lost frame returns at once so the caller drops the command: nothing is
 * applied until its final checksum has arrived and matched. */
#include "frame.h"

#include "flash.h"
#include "layout.h"
#include "protocol.h"
#include "serial.h"

void frame_ack(void) {
    serial_send(PROTOCOL_ACK);
}

void frame_nack(void) {
    serial_send(PROTOCOL_NACK);
}

void frame_send(uint8_t byte) {
    serial_send(byte);
}

bool frame_receive(uint8_t *byte) {
    return serial_receive_within(byte, BYTE_TIMEOUT_TICKS);
}

frame_status frame_receive_address(uint32_t *address) {
    uint32_t value = 0;
    uint8_t checksum = 0;
    for (int i = 0; i < 4; i++) {
        uint8_t byte;
        if (!frame_receive(&byte)) {
            return FRAME_LOST;
        }
        value = (value << 8) | byte;
        checksum ^= byte;
    }
    uint8_t expected;
    if (!frame_receive(&expected)) {
        return FRAME_LOST;
    }
    if (expected != checksum) {
        return FRAME_CORRUPT;
    }
    *address = flash_resolve(value);
    return FRAME_OK;
}
