/* Command-line arguments and environment: a guest gets none of either (argc 0, no variables),
 * the same as Node's WASI with args [] and env {}, which bento compares against. */
#include <stdint.h>

#include "bento/wasi.h"
#include "guest_memory.h"

/* Both outputs are u32; checked together so a bad second pointer leaves the first unwritten. */
static int32_t put_two_zeros(const bento_wasm_instance_t *inst, int32_t first, int32_t second) {
    if (!guest_range_ok(inst, (uint32_t)first, 4) || !guest_range_ok(inst, (uint32_t)second, 4)) {
        return BENTO_WASI_EFAULT;
    }
    guest_store_u32(guest_ptr(inst, (uint32_t)first), 0);
    guest_store_u32(guest_ptr(inst, (uint32_t)second), 0);
    return BENTO_WASI_ESUCCESS;
}

/* With nothing to copy, the arrays are empty ranges: they only have to start inside memory. */
static int32_t check_empty_arrays(const bento_wasm_instance_t *inst, int32_t pointers, int32_t buf) {
    if (!guest_range_ok(inst, (uint32_t)pointers, 0) || !guest_range_ok(inst, (uint32_t)buf, 0)) {
        return BENTO_WASI_EFAULT;
    }
    return BENTO_WASI_ESUCCESS;
}

/* args_sizes_get: (i32 argc, i32 argv_buf_size) -> i32 errno */
int32_t bento_wasi_args_sizes_get(bento_wasm_instance_t *inst, int32_t argc_out, int32_t argv_buf_size_out) {
    return put_two_zeros(inst, argc_out, argv_buf_size_out);
}

/* args_get: (i32 argv, i32 argv_buf) -> i32 errno */
int32_t bento_wasi_args_get(bento_wasm_instance_t *inst, int32_t argv, int32_t argv_buf) {
    return check_empty_arrays(inst, argv, argv_buf);
}

/* environ_sizes_get: (i32 environ_count, i32 environ_buf_size) -> i32 errno */
int32_t bento_wasi_environ_sizes_get(bento_wasm_instance_t *inst, int32_t count_out, int32_t buf_size_out) {
    return put_two_zeros(inst, count_out, buf_size_out);
}

/* environ_get: (i32 environ, i32 environ_buf) -> i32 errno */
int32_t bento_wasi_environ_get(bento_wasm_instance_t *inst, int32_t environ, int32_t environ_buf) {
    return check_empty_arrays(inst, environ, environ_buf);
}
