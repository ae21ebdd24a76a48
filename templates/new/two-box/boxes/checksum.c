/* The checksum box, compiled to WebAssembly and then ahead of time to Thumb code: CRC-16/CCITT
 * (polynomial 0x1021, initial value 0xFFFF) over the bytes it is given. Every access it makes is
 * bounds-checked against its own linear memory. */
#include "bento_checksum.h"

int32_t crc16(const uint8_t *data, size_t len) {
    uint16_t crc = 0xFFFF;
    for (size_t i = 0; i < len; i++) {
        crc ^= (uint16_t)(data[i] << 8);
        for (int bit = 0; bit < 8; bit++) {
            crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
        }
    }
    return crc;
}
