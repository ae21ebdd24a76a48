/* A loop of a few instructions an iteration, as a Wasm box and as a native box. */
#include <stdint.h>

#include BOX_HEADER

int32_t SPIN(uint32_t loops) {
    uint32_t x = 1u;
    for (uint32_t i = 0; i < loops; i++) {
        x = (x * 1664525u + 1013904223u) ^ (x >> 7);
        __asm__ volatile("" : "+r"(x));
    }
    return (int32_t)(x & 0x7fffu);
}
