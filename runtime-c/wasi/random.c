/* random_get from xorshift64*: fast, small and NOT cryptographic. Its output is predictable
 * from a few values, so guests must not use it for keys, nonces or anything secret.
 *
 * The state is seeded on first use from a fixed constant mixed (splitmix64) with the board's
 * counter. The sequence is therefore deterministic for a given first-call time, and fully
 * reproducible under QEMU's -icount, where the counter measures instructions. */
#include <stdint.h>
#include <string.h>

#include "bento/counter.h"
#include "bento/wasi.h"
#include "guest_memory.h"

#define SEED_CONSTANT UINT64_C(0x62656e746f2d7277) /* "bento-rw" */

static uint64_t state;

static uint64_t splitmix64(uint64_t x) {
    x += UINT64_C(0x9e3779b97f4a7c15);
    x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

static uint64_t next_random(void) {
    if (state == 0) {
        state = splitmix64(SEED_CONSTANT ^ bento_counter_read());
        if (state == 0) {
            state = SEED_CONSTANT; /* xorshift never leaves the all-zero state */
        }
    }
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * UINT64_C(0x2545f4914f6cdd1d);
}

/* random_get: (i32 buf, i32 buf_len) -> i32 errno */
int32_t bento_wasi_random_get(bento_wasm_instance_t *inst, int32_t buf, int32_t buf_len) {
    const uint32_t len = (uint32_t)buf_len;
    if (!guest_range_ok(inst, (uint32_t)buf, len)) {
        return BENTO_WASI_EFAULT;
    }
    uint8_t *dst = guest_ptr(inst, (uint32_t)buf);
    uint32_t done = 0;
    while (done < len) {
        uint8_t bytes[8];
        guest_store_u64(bytes, next_random());
        const uint32_t n = len - done < sizeof bytes ? len - done : (uint32_t)sizeof bytes;
        memcpy(dst + done, bytes, n);
        done += n;
    }
    return BENTO_WASI_ESUCCESS;
}
