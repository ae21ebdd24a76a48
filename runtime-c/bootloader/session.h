/* Talking to a host once it has sent 0x7F: the command loop, which returns only through GO. */
#ifndef BOOTLOADER_SESSION_H
#define BOOTLOADER_SESSION_H

#include <stdbool.h>
#include <stdint.h>

/* Waits up to `ticks` for the host's 0x7F, ignoring other bytes; false when none came. */
bool session_wait_for_host(uint32_t ticks);
/* Waits for the host's 0x7F however long it takes. */
void session_wait_for_host_forever(void);

/* ACKs the 0x7F just received and serves commands from then on. */
__attribute__((noreturn)) void session_run(void);

#endif
