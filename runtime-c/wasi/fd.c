/* WASI file descriptors: 0 is an empty stdin, 1 and 2 are write-only character devices (the
 * console UART; fd 2 may go to the host's stderr, see stderr.c). No other descriptor exists:
 * there are no files and no preopened directories, so wasi-libc's startup finds none. */
#include <stdint.h>
#include <string.h>

#include "bento/console.h"
#include "bento/wasi.h"
#include "guest_memory.h"
#include "stderr.h"

#define WASI_FILETYPE_CHARACTER_DEVICE 2u
/* Every right WASI preview1 defines (bits 0 to 29). wasi-libc's isatty() then answers 0, as it
 * does under Node's WASI with stdout redirected, and stdout stays line-buffered either way. */
#define WASI_RIGHTS_ALL ((UINT64_C(1) << 30) - 1u)
#define WASI_FDSTAT_SIZE 24u
#define WASI_IOVEC_SIZE 8u

static int is_stdio(int32_t fd) {
    return fd >= 0 && fd <= 2;
}

/* Checks an array of iovecs ({u32 buf, u32 buf_len}, 8 bytes each) and every buffer it names,
 * and sums their lengths into *total. Nothing is read or written through them here. */
static int32_t check_iovecs(const bento_wasm_instance_t *inst, int32_t iovs, int32_t iovs_len, uint32_t *total) {
    const uint32_t count = (uint32_t)iovs_len;
    if (count > guest_size(inst) / WASI_IOVEC_SIZE) {
        return BENTO_WASI_EFAULT;
    }
    if (!guest_range_ok(inst, (uint32_t)iovs, count * WASI_IOVEC_SIZE)) {
        return BENTO_WASI_EFAULT;
    }
    const uint8_t *iov = guest_ptr(inst, (uint32_t)iovs);
    uint64_t sum = 0;
    for (uint32_t i = 0; i < count; i++, iov += WASI_IOVEC_SIZE) {
        const uint32_t buf = guest_load_u32(iov);
        const uint32_t len = guest_load_u32(iov + 4);
        if (!guest_range_ok(inst, buf, len)) {
            return BENTO_WASI_EFAULT;
        }
        sum += len;
    }
    if (sum > UINT32_MAX) {
        /* The count would not fit the u32 result (POSIX writev says EINVAL too). */
        return BENTO_WASI_EINVAL;
    }
    *total = (uint32_t)sum;
    return BENTO_WASI_ESUCCESS;
}

static int32_t write_stream(int32_t fd, const uint8_t *buf, uint32_t len) {
    if (fd == 2) {
        return bento_wasi_stderr_write(buf, len);
    }
    bento_console_write((const char *)buf, len);
    return BENTO_WASI_ESUCCESS;
}

/* fd_write: (i32 fd, i32 iovs, i32 iovs_len, i32 nwritten) -> i32 errno
 * All ranges are checked before the first byte goes out, so a bad call writes nothing. */
int32_t bento_wasi_fd_write(bento_wasm_instance_t *inst, int32_t fd, int32_t iovs, int32_t iovs_len, int32_t nwritten_out) {
    if (fd != 1 && fd != 2) {
        return BENTO_WASI_EBADF;
    }
    uint32_t total = 0;
    int32_t err = check_iovecs(inst, iovs, iovs_len, &total);
    if (err != BENTO_WASI_ESUCCESS) {
        return err;
    }
    if (!guest_range_ok(inst, (uint32_t)nwritten_out, 4)) {
        return BENTO_WASI_EFAULT;
    }
    const uint8_t *iov = guest_ptr(inst, (uint32_t)iovs);
    for (uint32_t i = 0; i < (uint32_t)iovs_len; i++, iov += WASI_IOVEC_SIZE) {
        const uint32_t len = guest_load_u32(iov + 4);
        if (len == 0) {
            continue;
        }
        err = write_stream(fd, guest_ptr(inst, guest_load_u32(iov)), len);
        if (err != BENTO_WASI_ESUCCESS) {
            return err;
        }
    }
    guest_store_u32(guest_ptr(inst, (uint32_t)nwritten_out), total);
    return BENTO_WASI_ESUCCESS;
}

/* fd_read: (i32 fd, i32 iovs, i32 iovs_len, i32 nread) -> i32 errno
 * stdin is always at end of file: 0 bytes read. */
int32_t bento_wasi_fd_read(bento_wasm_instance_t *inst, int32_t fd, int32_t iovs, int32_t iovs_len, int32_t nread_out) {
    if (fd != 0) {
        return BENTO_WASI_EBADF;
    }
    uint32_t total = 0;
    const int32_t err = check_iovecs(inst, iovs, iovs_len, &total);
    if (err != BENTO_WASI_ESUCCESS) {
        return err;
    }
    return guest_put_u32(inst, nread_out, 0);
}

/* fd_close: (i32 fd) -> i32 errno
 * Closing 0, 1 or 2 succeeds and changes nothing: the streams keep working. */
int32_t bento_wasi_fd_close(bento_wasm_instance_t *inst, int32_t fd) {
    (void)inst;
    return is_stdio(fd) ? BENTO_WASI_ESUCCESS : BENTO_WASI_EBADF;
}

/* fd_seek: (i32 fd, i64 offset, i32 whence, i32 newoffset) -> i32 errno */
int32_t bento_wasi_fd_seek(bento_wasm_instance_t *inst, int32_t fd, int64_t offset, int32_t whence, int32_t newoffset_out) {
    (void)inst;
    (void)offset;
    (void)whence;
    (void)newoffset_out;
    return is_stdio(fd) ? BENTO_WASI_ESPIPE : BENTO_WASI_EBADF;
}

/* fd_fdstat_get: (i32 fd, i32 stat) -> i32 errno
 * fdstat, 24 bytes: u8 fs_filetype @0, u16 fs_flags @2, u64 fs_rights_base @8,
 * u64 fs_rights_inheriting @16; the padding is written as zeros. */
int32_t bento_wasi_fd_fdstat_get(bento_wasm_instance_t *inst, int32_t fd, int32_t stat_out) {
    if (!is_stdio(fd)) {
        return BENTO_WASI_EBADF;
    }
    if (!guest_range_ok(inst, (uint32_t)stat_out, WASI_FDSTAT_SIZE)) {
        return BENTO_WASI_EFAULT;
    }
    uint8_t stat[WASI_FDSTAT_SIZE] = {0};
    stat[0] = WASI_FILETYPE_CHARACTER_DEVICE;
    guest_store_u16(stat + 2, 0);
    guest_store_u64(stat + 8, WASI_RIGHTS_ALL);
    guest_store_u64(stat + 16, WASI_RIGHTS_ALL);
    memcpy(guest_ptr(inst, (uint32_t)stat_out), stat, sizeof stat);
    return BENTO_WASI_ESUCCESS;
}

/* fd_prestat_get: (i32 fd, i32 prestat) -> i32 errno
 * No preopened directories: EBADF for every fd, which ends wasi-libc's preopen scan at fd 3. */
int32_t bento_wasi_fd_prestat_get(bento_wasm_instance_t *inst, int32_t fd, int32_t prestat_out) {
    (void)inst;
    (void)fd;
    (void)prestat_out;
    return BENTO_WASI_EBADF;
}

/* fd_prestat_dir_name: (i32 fd, i32 path, i32 path_len) -> i32 errno */
int32_t bento_wasi_fd_prestat_dir_name(bento_wasm_instance_t *inst, int32_t fd, int32_t path, int32_t path_len) {
    (void)inst;
    (void)fd;
    (void)path;
    (void)path_len;
    return BENTO_WASI_EBADF;
}
