/* CRC-32 as zlib computes it (reflected, polynomial 0xEDB88320), a byte at a time from a 16-entry
 * table: 64 bytes of flash instead of 1 KiB, two lookups a byte, cheap enough for the UART's
 * handler, which checks each frame as it arrives. */
#include "internal.h"

static const uint32_t nibble[16] = {
    0x00000000u, 0x1db71064u, 0x3b6e20c8u, 0x26d930acu, 0x76dc4190u, 0x6b6b51f4u, 0x4db26158u, 0x5005713cu,
    0xedb88320u, 0xf00f9344u, 0xd6d6a3e8u, 0xcb61b38cu, 0x9b64c2b0u, 0x86d3d2d4u, 0xa00ae278u, 0xbdbdf21cu,
};

uint32_t sl_crc32_byte(uint32_t crc, uint8_t byte) {
    crc ^= byte;
    crc = (crc >> 4) ^ nibble[crc & 0xfu];
    crc = (crc >> 4) ^ nibble[crc & 0xfu];
    return crc;
}
