/* Arm semihosting: exit codes and a stderr channel to the host. Semihosting calls trap into the
 * debugger or emulator, so they are for privileged code, and only under one. */
#include "bento/semihost.h"

#include <stdint.h>

#include "bento/console.h"

#define SYS_OPEN 0x01u
#define SYS_WRITE0 0x04u
#define SYS_WRITE 0x05u
#define SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u
#define OPEN_MODE_APPEND 8u /* fopen "a": on ":tt" this is stderr */
#define WRITE0_CHUNK 64u

static int32_t semihost_call(uint32_t op, const void *arg) {
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return (int32_t)r0;
}

void bento_exit(int code) {
    /* The emulator exits at once: a last byte still in the UART would be lost. */
    bento_console_flush();
    /* SYS_EXIT_EXTENDED carries the full exit code; plain SYS_EXIT only says success or not. */
    const uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)code};
    (void)semihost_call(SYS_EXIT_EXTENDED, block);
    /* Only reached without a debugger or emulator listening: stop here. */
    for (;;) {
        __asm__ volatile("wfi");
    }
}

/* Semihosting has no fixed stderr handle: QEMU 7.2 refuses SYS_WRITE on handle 2, because
 * handles come only from SYS_OPEN. Opening ":tt" in append mode gives the host's stderr (the
 * SH_EXT_STDOUT_STDERR convention, which QEMU implements). A host that refuses gets the text
 * through SYS_WRITE0, which cannot carry NUL bytes. */
static int32_t stderr_handle; /* 0 until first use, then the handle, or -1 if refused */

static int32_t open_stderr(void) {
    static const char name[] = ":tt";
    const uint32_t block[3] = {(uint32_t)(uintptr_t)name, OPEN_MODE_APPEND, sizeof name - 1u};
    const int32_t handle = semihost_call(SYS_OPEN, block);
    return handle > 0 ? handle : -1;
}

static void write0_chunked(const uint8_t *buf, uint32_t len) {
    char chunk[WRITE0_CHUNK + 1];
    uint32_t used = 0;
    for (uint32_t i = 0; i < len; i++) {
        if (buf[i] != 0) {
            chunk[used++] = (char)buf[i];
        }
        if (used == WRITE0_CHUNK || (i + 1 == len && used > 0)) {
            chunk[used] = '\0';
            (void)semihost_call(SYS_WRITE0, chunk);
            used = 0;
        }
    }
}

int bento_semihost_write_stderr(const void *buf, uint32_t len) {
    if (stderr_handle == 0) {
        stderr_handle = open_stderr();
    }
    if (stderr_handle < 0) {
        write0_chunked(buf, len);
        return 0;
    }
    const uint32_t block[3] = {(uint32_t)stderr_handle, (uint32_t)(uintptr_t)buf, len};
    /* SYS_WRITE answers the number of bytes it did not write. */
    return semihost_call(SYS_WRITE, block) == 0 ? 0 : -1;
}
