/* Where the WASI layer sends fd 2 (stderr.c). */
#ifndef BENTO_WASI_STDERR_H
#define BENTO_WASI_STDERR_H

#include <stdint.h>

/* Writes len bytes of a guest's stderr; returns a WASI errno. */
int32_t bento_wasi_stderr_write(const uint8_t *buf, uint32_t len);

#endif
