/* memcpy, memmove and memset of a Wasm box built from C, linked before wasi-libc's: compiled with
 * -mbulk-memory, each is one memory.copy or memory.fill, which bento compiles into a bounds check
 * and the runtime's block copies (runtime-c/string/fast_mem.c: LDM/STM, 32 bytes a pair). wasi-libc's
 * own are musl's C loops compiled through Wasm: a word per load/store pair at best, and byte by
 * byte whenever source and destination are not aligned alike. */
#include <stddef.h>

#if !defined(__wasm_bulk_memory__)
#error "compile with -mbulk-memory: these functions must become memory.copy and memory.fill, not calls to themselves"
#endif

void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
    __builtin_memcpy(dst, src, n);
    return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
    __builtin_memmove(dst, src, n);
    return dst;
}

void *memset(void *dst, int c, size_t n) {
    __builtin_memset(dst, c, n);
    return dst;
}
