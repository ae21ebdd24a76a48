/* A block's CRC-32 and its run-length encoding: the response is the CRC (4 bytes, little-endian)
 * then pairs of (run length 1..255, byte). A block of 2048 bytes that never repeats needs 4096
 * bytes; more than the response buffer holds is refused (-33).
 *
 * It misbehaves on purpose, so that the example shows the rest of the device carrying on: a
 * block starting "LOOP" spins until its CPU budget stops it, and one starting "PEEK" reads an
 * address far outside its linear memory, which traps. */
#include <stddef.h>
#include <stdint.h>

#include "bento_box.h"

static uint32_t crc32(const uint8_t *p, size_t n) {
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++) {
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
        }
    }
    return ~crc;
}

static int starts(const uint8_t *p, size_t n, const char *word) {
    size_t i = 0;
    while (word[i]) {
        if (i >= n || p[i] != (uint8_t)word[i]) {
            return 0;
        }
        i++;
    }
    return 1;
}

ssize_t handle(const uint8_t *req, size_t len, uint8_t *resp, size_t cap) {
    if (starts(req, len, "LOOP")) {
        volatile uint32_t spins = 0;
        for (;;) {
            spins++;
        }
    }
    if (starts(req, len, "PEEK")) {
        volatile const uint8_t *far = (const uint8_t *)(uintptr_t)0x7ff00000u;
        return *far;
    }
    if (cap < 4) {
        return -33;
    }
    uint32_t crc = crc32(req, len);
    for (int i = 0; i < 4; i++) {
        resp[i] = (uint8_t)(crc >> (8 * i));
    }
    size_t out = 4;
    for (size_t i = 0; i < len;) {
        size_t run = 1;
        while (i + run < len && run < 255 && req[i + run] == req[i]) {
            run++;
        }
        if (out + 2 > cap) {
            return -33;
        }
        resp[out++] = (uint8_t)run;
        resp[out++] = req[i];
        i += run;
    }
    return (ssize_t)out;
}
