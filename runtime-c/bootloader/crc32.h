/* CRC-32/IEEE (the zlib and PNG CRC), which the application header carries. */
#ifndef BOOTLOADER_CRC32_H
#define BOOTLOADER_CRC32_H

#include <stdint.h>

/* Reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF. */
uint32_t crc32_of(const uint8_t *data, uint32_t length);

#endif
