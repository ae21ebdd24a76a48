/* The AN3155 command loop: a command byte and its complement, then the command's own frames.
 * Between commands the loop waits without a deadline; inside one, every byte has
 * BYTE_TIMEOUT_TICKS to arrive or the command is dropped and the loop waits for the next. */
#include "session.h"

#include <stddef.h>
#include <stdint.h>

#include "commands.h"
#include "frame.h"
#include "layout.h"
#include "protocol.h"
#include "serial.h"

#include "bento/counter.h"

bool session_wait_for_host(uint32_t ticks) {
    const uint32_t start = bento_counter_read();
    for (;;) {
        const uint32_t waited = bento_counter_read() - start;
        uint8_t byte;
        if (waited >= ticks || !serial_receive_within(&byte, ticks - waited)) {
            return false;
        }
        if (byte == PROTOCOL_SYNC) {
            return true;
        }
    }
}

void session_wait_for_host_forever(void) {
    while (serial_receive() != PROTOCOL_SYNC) {
    }
}

void session_run(void) {
    frame_ack();
    for (;;) {
        const uint8_t code = serial_receive();
        /* stm32flash sends 0x7F again when it reconnects; no command has that code. */
        if (code == PROTOCOL_SYNC) {
            frame_ack();
            continue;
        }
        uint8_t complement;
        if (!frame_receive(&complement)) {
            continue;
        }
        const command *found = command_find(code);
        if ((uint8_t)(code ^ complement) != 0xFFu || found == NULL) {
            frame_nack();
            continue;
        }
        frame_ack();
        found->run();
    }
}
