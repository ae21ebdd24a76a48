/* CRC-32/IEEE four bits at a time: a 64-byte table in code memory instead of a 1 KiB one, and
 * still fast enough to check a whole 4 MiB slot at reset. */
#include "crc32.h"

/* The CRC of each nibble value 0..15, reflected polynomial 0xEDB88320. */
static const uint32_t nibble_crc[16] = {
    0x00000000u, 0x1db71064u, 0x3b6e20c8u, 0x26d930acu, 0x76dc4190u, 0x6b6b51f4u,
    0x4db26158u, 0x5005713cu, 0xedb88320u, 0xf00f9344u, 0xd6d6a3e8u, 0xcb61b38cu,
    0x9b64c2b0u, 0x86d3d2d4u, 0xa00ae278u, 0xbdbdf21cu,
};

uint32_t crc32_of(const uint8_t *data, uint32_t length) {
    uint32_t crc = 0xFFFFFFFFu;
    for (uint32_t i = 0; i < length; i++) {
        crc ^= data[i];
        crc = (crc >> 4) ^ nibble_crc[crc & 0xFu];
        crc = (crc >> 4) ^ nibble_crc[crc & 0xFu];
    }
    return crc ^ 0xFFFFFFFFu;
}
