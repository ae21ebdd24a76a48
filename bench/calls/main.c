/* Times CALLS calls of each kind with the board's counter (40 instructions a tick on the MPS2
 * boards under QEMU -icount shift=0) and prints instructions per call, loop overhead included (a few). */
#include <stdint.h>
#include <stdio.h>

#include "bento/counter.h"
#include "bento_host.h"

#define CALLS 1000

static uint8_t buffer[64];

/* What boxes call in the host. */
int32_t host_echo(int32_t x) { return x; }
uint32_t host_sum(const uint8_t *bytes, size_t n) { return n > 0 ? bytes[0] : 0; }

/* Instructions per call from counter ticks over CALLS calls: under -icount an instruction is
 * 1 ns, and a tick is 1e9 / BENTO_COUNTER_HZ of them (83.3 at 12 MHz: in 64 bits, not rounded). */
static unsigned long per_call(uint32_t ticks) {
    return (unsigned long)((uint64_t)ticks * 1000000000u / BENTO_COUNTER_HZ / CALLS);
}

int main(void) {
    /* The first call initialises each box: keep it out of the measurement. */
    int32_t check = echo_wasm(1) + echo_native(1) + (int32_t)sum_wasm(buffer, sizeof buffer);
    uint32_t t0 = bento_counter_read();
    for (int32_t i = 0; i < CALLS; i++) check += echo_wasm(i);
    uint32_t t1 = bento_counter_read();
    for (int32_t i = 0; i < CALLS; i++) check += echo_native(i);
    uint32_t t2 = bento_counter_read();
    for (int32_t i = 0; i < CALLS; i++) check += (int32_t)sum_wasm(buffer, sizeof buffer);
    uint32_t t3 = bento_counter_read();
    check += echo8_wasm(1, 2, 3, 4, 5, 6, 7) + twin_echo_twin(1, 1) + ping_call(BENTO_CALLBACK(pong), 1);
    uint32_t t4 = bento_counter_read();
    for (int32_t i = 0; i < CALLS; i++) check += echo8_wasm(i, 2, 3, 4, 5, 6, 7);
    uint32_t t5 = bento_counter_read();
    for (int32_t i = 0; i < CALLS; i++) check += twin_echo_twin(1, i);
    uint32_t t6 = bento_counter_read();
    for (int32_t i = 0; i < CALLS; i++) check += ping_call(BENTO_CALLBACK(pong), i);
    uint32_t t7 = bento_counter_read();
    /* From inside the box: CALLS calls in one call into it (whose own cost is a CALLS-th of it). */
    check += to_host(1) + to_host_buffer(1) + to_box(1);
    uint32_t t8 = bento_counter_read();
    check += to_host(CALLS);
    uint32_t t9 = bento_counter_read();
    check += to_host_buffer(CALLS);
    uint32_t t10 = bento_counter_read();
    check += to_box(CALLS);
    uint32_t t11 = bento_counter_read();
    printf("calls wasm=%lu native=%lu wasm-64-byte-buffer=%lu wasm-8-words=%lu instance=%lu callback=%lu box-to-host=%lu box-to-host-16-byte-buffer=%lu box-to-box=%lu check=%ld\n", per_call(t1 - t0),
           per_call(t2 - t1), per_call(t3 - t2), per_call(t5 - t4), per_call(t6 - t5), per_call(t7 - t6), per_call(t9 - t8), per_call(t10 - t9), per_call(t11 - t10), (long)check);
    return 0;
}
