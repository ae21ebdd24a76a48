/* Arm semihosting: the only way a firmware tells QEMU its exit code. Privileged code only. */
#ifndef BENTO_SEMIHOST_H
#define BENTO_SEMIHOST_H

#include <stdint.h>

void bento_exit(int code) __attribute__((noreturn));

/* Writes to the host's stderr; 0 on success. Only under a debugger or emulator: on a bare
 * board the semihosting trap has nobody to answer it. */
int bento_semihost_write_stderr(const void *buf, uint32_t len);

#endif
