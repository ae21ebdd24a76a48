/* Word and block copies for the runtime (runtime-c/string/fast_mem.c): the semantics of memcpy,
 * memmove and memset, at LDM/STM speed where newlib-nano copies a byte or a word at a time. */
#ifndef BENTO_FAST_MEM_H
#define BENTO_FAST_MEM_H

#include <stddef.h>

void *bento_memcpy(void *dst, const void *src, size_t n);
void *bento_memmove(void *dst, const void *src, size_t n);
void *bento_memset(void *dst, int c, size_t n);

#endif
