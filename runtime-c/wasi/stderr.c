/* A guest's stderr (fd 2). By default it shares the console UART with stdout. Built with
 * BENTO_STDERR_SEMIHOST, it goes to the host's stderr through Arm semihosting instead, so a
 * runner can keep the two streams apart (QEMU prints it on its own stderr). */
#include <stdint.h>

#include "bento/wasi.h"
#include "stderr.h"

#ifndef BENTO_STDERR_SEMIHOST

#include "bento/console.h"

int32_t bento_wasi_stderr_write(const uint8_t *buf, uint32_t len) {
    bento_console_write((const char *)buf, len);
    return BENTO_WASI_ESUCCESS;
}

#else

#include "bento/semihost.h"

int32_t bento_wasi_stderr_write(const uint8_t *buf, uint32_t len) {
    return bento_semihost_write_stderr(buf, len) == 0 ? BENTO_WASI_ESUCCESS : BENTO_WASI_EIO;
}

#endif
