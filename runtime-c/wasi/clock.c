/* WASI clocks from the board's free-running 32-bit counter (bento/counter.h), which ticks at
 * BENTO_COUNTER_HZ (25 MHz on the MPS2 boards: it wraps every 171.8 s).
 *
 * The counter is extended to 64 bits here: each read that comes out below the previous one
 * counts one wrap. That is exact as long as the guest reads a clock at least once per wrap
 * period; a longer silence loses whole periods. Both clocks count from reset (the board has no
 * real-time clock), so realtime starts at the 1970 epoch. */
#include <stdint.h>

#include "bento/counter.h"
#include "bento/wasi.h"
#include "guest_memory.h"

#ifndef BENTO_COUNTER_HZ
#error "BENTO_COUNTER_HZ must be defined (it comes from the board file)"
#endif

#define NS_PER_SECOND UINT64_C(1000000000)

static uint32_t last_count;
static uint32_t wraps;

static uint64_t counter_ticks64(void) {
    const uint32_t now = bento_counter_read();
    if (now < last_count) {
        wraps++;
    }
    last_count = now;
    return ((uint64_t)wraps << 32) | now;
}

/* ticks * 1e9 / HZ without overflowing 64 bits (whole seconds first, then the remainder). */
static uint64_t ticks_to_ns(uint64_t ticks) {
    const uint64_t hz = BENTO_COUNTER_HZ;
    return (ticks / hz) * NS_PER_SECOND + (ticks % hz) * NS_PER_SECOND / hz;
}

static int known_clock(int32_t clock_id) {
    return clock_id == BENTO_WASI_CLOCK_REALTIME || clock_id == BENTO_WASI_CLOCK_MONOTONIC;
}

/* clock_res_get: (i32 id, i32 resolution) -> i32 errno
 * One counter tick, rounded up to whole nanoseconds (40 ns at 25 MHz). */
int32_t bento_wasi_clock_res_get(bento_wasm_instance_t *inst, int32_t clock_id, int32_t resolution_out) {
    if (!known_clock(clock_id)) {
        return BENTO_WASI_EINVAL;
    }
    const uint64_t hz = BENTO_COUNTER_HZ;
    return guest_put_u64(inst, resolution_out, (NS_PER_SECOND + hz - 1u) / hz);
}

/* clock_time_get: (i32 id, i64 precision, i32 time) -> i32 errno
 * The precision the guest asks for is ignored: every read is as precise as the counter. */
int32_t bento_wasi_clock_time_get(bento_wasm_instance_t *inst, int32_t clock_id, int64_t precision, int32_t time_out) {
    (void)precision;
    if (!known_clock(clock_id)) {
        return BENTO_WASI_EINVAL;
    }
    if (!guest_range_ok(inst, (uint32_t)time_out, 8)) {
        return BENTO_WASI_EFAULT;
    }
    guest_store_u64(guest_ptr(inst, (uint32_t)time_out), ticks_to_ns(counter_ticks64()));
    return BENTO_WASI_ESUCCESS;
}
