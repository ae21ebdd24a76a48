/*
 * Declarations only, so that wabt's wasm-rt-impl.c compiles against newlib, which has no
 * <sys/mman.h>. The runtime includes this header unconditionally, but on a 32-bit target
 * (WASM_RT_MEMCHECK_SIGNAL_HANDLER = 0) it allocates linear memory with calloc and never
 * calls these functions: the static helpers that would are dropped, so nothing here needs a
 * definition. A link that does need one fails on the undefined symbol, never at run time.
 */
#ifndef BENTO_WASM2C_SYS_MMAN_H
#define BENTO_WASM2C_SYS_MMAN_H

#include <stddef.h>
#include <sys/types.h>

#define PROT_NONE 0x0
#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define MAP_PRIVATE 0x02
#define MAP_ANONYMOUS 0x20
#define MAP_FAILED ((void *)-1)

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
int munmap(void *addr, size_t length);
int mprotect(void *addr, size_t length, int prot);

#endif
