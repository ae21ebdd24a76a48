/*
 * crc32: the CRC-32 of zlib and Ethernet (reflected polynomial 0xEDB88320, initial value and
 * final XOR 0xFFFFFFFF) over 64 KiB, one table lookup per byte. The 1 KiB table is built in
 * kernel_init so it sits in RAM (linear memory) like the data.
 */
#include "kernel.h"

#define DATA_BYTES 65536

const char *const kernel_name = "crc32";

static uint8_t data[DATA_BYTES];
static uint32_t table[256];
static uint32_t crc;

void kernel_init(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int bit = 0; bit < 8; bit++)
            c = c & 1u ? (c >> 1) ^ 0xedb88320u : c >> 1;
        table[n] = c;
    }
    lcg_state = 0x63726333u;
    for (int i = 0; i < DATA_BYTES; i++)
        data[i] = (uint8_t)(lcg_next() >> 24);
    crc = 0;
}

void kernel_run(void)
{
    uint32_t c = 0xffffffffu;
    for (int i = 0; i < DATA_BYTES; i++)
        c = table[(c ^ data[i]) & 0xffu] ^ (c >> 8);
    crc = c ^ 0xffffffffu;
}

/* The CRC itself, so it can be checked against zlib.crc32 of the same bytes. */
uint32_t kernel_checksum(void)
{
    return crc;
}
