#include "bento_wasmbox.h"

int32_t echo_wasm(int32_t x) { return x; }

/* A call with a 64-byte buffer: the cost of checking and copying it onto the box's stack. */
uint32_t sum_wasm(const uint8_t *bytes, size_t n) {
    uint32_t total = 0;
    for (size_t i = 0; i < n; i++) total += bytes[i];
    return total;
}

/* Eight argument words: they travel as a block, checked and copied. */
int32_t echo8_wasm(int32_t a, int32_t b, int32_t c, int32_t d, int32_t e, int32_t f, int64_t g) { return a + b + c + d + e + f + (int32_t)g; }

/* A callback target: the host calls it through its token. */
int32_t pong(int32_t x) { return x; }

/* Calls out of the box, n of each: into the host, into the host with a buffer (checked against
 * this box's memory), into another box (through the host). */
int32_t to_host(int32_t n) {
    int32_t total = 0;
    for (int32_t i = 0; i < n; i++) total += host_echo(i);
    return total;
}

static uint8_t bytes16[16];

int32_t to_host_buffer(int32_t n) {
    int32_t total = 0;
    for (int32_t i = 0; i < n; i++) total += (int32_t)host_sum(bytes16, sizeof bytes16);
    return total;
}

int32_t to_box(int32_t n) {
    int32_t total = 0;
    for (int32_t i = 0; i < n; i++) total += peer_echo(i);
    return total;
}
