/* Keeps a counter in a global and writes the request into a static buffer: state a fresh
 * instance must lose. Returns the counter (always 0 when fresh). */
#include <stdint.h>

#include "bento_box.h"

static uint32_t calls;
static uint8_t seen[64];

ssize_t handle(const uint8_t *req, size_t len, uint8_t *resp, size_t cap) {
    for (size_t i = 0; i < len && i < sizeof seen; i++) {
        seen[i] = req[i];
    }
    uint32_t n = calls++;
    if (cap < 4) {
        return -32;
    }
    for (int i = 0; i < 4; i++) {
        resp[i] = (uint8_t)(n >> (8 * i));
    }
    return 4;
}
