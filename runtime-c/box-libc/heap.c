/* The `heap` service of a native box (box.<name>.libc = ["heap"]): malloc, free, calloc and
 * realloc over the bytes of its RAM region after its bss (its `heap` key, and whatever the
 * region's rounding leaves). The allocator's state and the heap itself are the box's: a box
 * restarts with a fresh heap, and nothing of it is in host RAM. errno is not set (it lives in
 * the host's reentrancy structure): a NULL result is the only sign of a full heap.
 *
 * First fit (bento/first_fit.h), payloads 8-byte aligned (the AAPCS's largest alignment). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bento/first_fit.h"

/* The box's heap bounds (renamed to __bento_box_<name>_heap_start/_end when the box is built). */
extern unsigned char __bento_libc_heap_start[];
extern unsigned char __bento_libc_heap_end[];

static bento_fit_t heap = { NULL, NULL, 8u };

#define HEADER BENTO_FIT_HEADER
#define USED BENTO_FIT_USED
#define ALIGN 8u
#define header bento_fit_header
#define size_of bento_fit_size
#define is_free bento_fit_is_free

static int heap_ready(void) {
    return bento_fit_ready(&heap, (uintptr_t)__bento_libc_heap_start, (uintptr_t)__bento_libc_heap_end);
}

static uint32_t block_bytes(size_t n) {
    return heap.first == NULL ? 0 : bento_fit_block_bytes(&heap, n, (size_t)(heap.limit - heap.first));
}

void *malloc(size_t n) {
    if (!heap_ready()) {
        return NULL;
    }
    uint32_t bytes = block_bytes(n == 0 ? 1 : n);
    return bytes == 0 ? NULL : bento_fit_find(&heap, bytes);
}

/* The block of a payload malloc gave, or NULL for anything else. */
static unsigned char *block_of(void *p) {
    unsigned char *block = (unsigned char *)p - HEADER;
    if (heap.first == NULL || block < heap.first || block >= heap.limit || ((uintptr_t)p & (ALIGN - 1)) != 0 || is_free(block)) {
        return NULL;
    }
    return block;
}

void free(void *p) {
    unsigned char *block = p ? block_of(p) : NULL;
    if (block) {
        *header(block) &= ~USED;
    }
}

void *calloc(size_t count, size_t size) {
    size_t n;
    if (__builtin_mul_overflow(count, size, &n)) {
        return NULL;
    }
    void *p = malloc(n);
    if (p) {
        memset(p, 0, n);
    }
    return p;
}

void *realloc(void *p, size_t n) {
    if (p == NULL) {
        return malloc(n);
    }
    unsigned char *block = block_of(p);
    if (block == NULL) {
        return NULL;
    }
    uint32_t bytes = block_bytes(n == 0 ? 1 : n);
    if (bytes == 0) {
        return NULL;
    }
    /* Grow in place into free blocks that follow, or shrink in place. */
    *header(block) &= ~USED;
    bento_fit_absorb(&heap, block);
    if (size_of(block) >= bytes) {
        return bento_fit_take(&heap, block, bytes);
    }
    *header(block) |= USED;
    void *q = malloc(n);
    if (q) {
        size_t old = size_of(block) - HEADER;
        memcpy(q, p, old < n ? old : n);
        free(p);
    }
    return q;
}
