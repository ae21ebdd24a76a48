/* What the bootloader does after reset: give a host AUTOBOOT_WINDOW_TICKS to send 0x7F; if
 * none does, start the application in the slot when its header is valid, and otherwise wait for
 * a host for as long as it takes. A host that has connected keeps the bootloader until GO. An
 * application that received the host's 0x7F itself hands it on (HANDOFF_ADDRESS, layout.h). */
#include <stdbool.h>
#include <stdint.h>

#include "boot.h"
#include "image.h"
#include "layout.h"
#include "serial.h"
#include "session.h"

void bootloader_main(void) __attribute__((noreturn));

static bool host_handed_over(void) {
    volatile uint32_t *word = (volatile uint32_t *)HANDOFF_ADDRESS;
    const bool synced = *word == HANDOFF_SYNCED;
    *word = 0;
    return synced;
}

void bootloader_main(void) {
    serial_init();
    if (!host_handed_over() && !session_wait_for_host(AUTOBOOT_WINDOW_TICKS)) {
        const uint32_t vectors = image_vectors(SLOT_START);
        if (vectors != 0 && boot_can_start(vectors)) {
            boot_start(vectors);
        }
        session_wait_for_host_forever();
    }
    session_run();
}
