/* The WASI preview1 subset bento gives Wasm guests, as host functions compiled code calls.
 *
 * Calling convention: the import `wasi_snapshot_preview1.NAME` is the C function
 * `bento_wasi_NAME(instance, <the Wasm parameters>)`, with i32 as int32_t and i64 as int64_t.
 * Each returns the WASI errno (BENTO_WASI_ESUCCESS on success), except proc_exit, which does
 * not return. Pointers are offsets into instance->memory; every range is checked against the
 * live memory size, instance->memory_size clamped to instance->memory_max (a box could have
 * rewritten the first; see bento_wasi_view), and a bad one gives BENTO_WASI_EFAULT, with
 * nothing written.
 *
 * What a guest sees: fd 0 is an empty stdin, fds 1 and 2 are character devices that write to the
 * console UART (fd 2 goes to the host's stderr through semihosting when the runtime is built
 * with BENTO_STDERR_SEMIHOST), no preopened directories, no arguments, an empty environment,
 * clocks from the board's counter and a pseudo-random generator that is not cryptographic.
 * None of these functions is reentrant: call them from one thread of execution only. */
#ifndef BENTO_WASI_H
#define BENTO_WASI_H

#include <stdint.h>

#include "bento/wasm.h"

/* WASI errno values (wasi_snapshot_preview1 `errno`), the ones this layer returns. */
#define BENTO_WASI_ESUCCESS 0
#define BENTO_WASI_EBADF    8
#define BENTO_WASI_EFAULT   21
#define BENTO_WASI_EINVAL   28
#define BENTO_WASI_EIO      29
#define BENTO_WASI_ESPIPE   70

/* WASI clock ids. */
#define BENTO_WASI_CLOCK_REALTIME  0
#define BENTO_WASI_CLOCK_MONOTONIC 1

/* The host's view of a box's memory for one WASI call (the box glue passes it instead of the
 * instance record in box RAM, which the box can rewrite): `view` holds the memory's base and,
 * in memory_max, its region size, both the host's own; memory_size is copied from `live_size`,
 * the box's own record of its size, and every check clamps it to memory_max. So a guest pointer
 * past the live size fails, as it does in software bounds, and one past the region cannot pass,
 * whatever the box wrote. The box does not run during the call, so the copy stays current. */
static inline bento_wasm_instance_t *bento_wasi_view(bento_wasm_instance_t *view, const uint32_t *live_size) {
    view->memory_size = *live_size;
    return view;
}

/* Arguments and environment (always empty). */
int32_t bento_wasi_args_sizes_get(bento_wasm_instance_t *inst, int32_t argc_out, int32_t argv_buf_size_out);
int32_t bento_wasi_args_get(bento_wasm_instance_t *inst, int32_t argv, int32_t argv_buf);
int32_t bento_wasi_environ_sizes_get(bento_wasm_instance_t *inst, int32_t count_out, int32_t buf_size_out);
int32_t bento_wasi_environ_get(bento_wasm_instance_t *inst, int32_t environ, int32_t environ_buf);

/* Clocks and randomness. */
int32_t bento_wasi_clock_res_get(bento_wasm_instance_t *inst, int32_t clock_id, int32_t resolution_out);
int32_t bento_wasi_clock_time_get(bento_wasm_instance_t *inst, int32_t clock_id, int64_t precision, int32_t time_out);
int32_t bento_wasi_random_get(bento_wasm_instance_t *inst, int32_t buf, int32_t buf_len);

/* File descriptors 0, 1 and 2. */
int32_t bento_wasi_fd_write(bento_wasm_instance_t *inst, int32_t fd, int32_t iovs, int32_t iovs_len, int32_t nwritten_out);
int32_t bento_wasi_fd_read(bento_wasm_instance_t *inst, int32_t fd, int32_t iovs, int32_t iovs_len, int32_t nread_out);
int32_t bento_wasi_fd_close(bento_wasm_instance_t *inst, int32_t fd);
int32_t bento_wasi_fd_seek(bento_wasm_instance_t *inst, int32_t fd, int64_t offset, int32_t whence, int32_t newoffset_out);
int32_t bento_wasi_fd_fdstat_get(bento_wasm_instance_t *inst, int32_t fd, int32_t stat_out);
int32_t bento_wasi_fd_prestat_get(bento_wasm_instance_t *inst, int32_t fd, int32_t prestat_out);
int32_t bento_wasi_fd_prestat_dir_name(bento_wasm_instance_t *inst, int32_t fd, int32_t path, int32_t path_len);

/* Process. */
void bento_wasi_proc_exit(bento_wasm_instance_t *inst, int32_t code) __attribute__((noreturn));
int32_t bento_wasi_sched_yield(bento_wasm_instance_t *inst);

#endif
