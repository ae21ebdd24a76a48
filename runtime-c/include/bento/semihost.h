/* Arm semihosting: the only way a firmware tells QEMU its exit code. Privileged code only. */
#ifndef BENTO_SEMIHOST_H
#define BENTO_SEMIHOST_H

void bento_exit(int code) __attribute__((noreturn));

#endif
