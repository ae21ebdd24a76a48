/* The `heap` service of a native box (box.<name>.libc = ["heap"]): malloc, free, calloc and
 * realloc over the bytes of its RAM region after its bss (its `heap` key, and whatever the
 * region's rounding leaves). The allocator's state and the heap itself are the box's: a box
 * restarts with a fresh heap, and nothing of it is in host RAM. errno is not set (it lives in
 * the host's reentrancy structure): a NULL result is the only sign of a full heap.
 *
 * First fit over an implicit list: every block starts with a 4-byte header holding its size
 * (header included, a multiple of 8) and a used bit; payloads are 8-byte aligned (AAPCS's
 * largest alignment). Free neighbours are merged as malloc walks past them. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The box's heap bounds (renamed to __bento_box_<name>_heap_start/_end when the box is built). */
extern unsigned char __bento_libc_heap_start[];
extern unsigned char __bento_libc_heap_end[];

#define ALIGN 8u
#define USED 1u
#define HEADER 4u

static unsigned char *first; /* the first block's header */
static unsigned char *limit; /* the end of the last block */

static uint32_t *header(unsigned char *block) {
    return (uint32_t *)(void *)block;
}

static uint32_t size_of(unsigned char *block) {
    return *header(block) & ~USED;
}

static int is_free(unsigned char *block) {
    return (*header(block) & USED) == 0;
}

/* One free block over the whole heap, the first time anything asks. */
static int heap_ready(void) {
    if (first != NULL) {
        return 1;
    }
    uintptr_t start = (uintptr_t)__bento_libc_heap_start;
    uintptr_t end = (uintptr_t)__bento_libc_heap_end;
    uintptr_t payload = (start + HEADER + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
    if (end < payload + ALIGN) {
        return 0;
    }
    first = (unsigned char *)(payload - HEADER);
    limit = first + ((end - (uintptr_t)first) & ~(uintptr_t)(ALIGN - 1));
    *header(first) = (uint32_t)(limit - first);
    return 1;
}

/* Bytes of block for a payload of n, or 0 when no heap could hold it. */
static uint32_t block_bytes(size_t n) {
    if (n > (size_t)(limit - first)) {
        return 0;
    }
    return (uint32_t)((n + HEADER + ALIGN - 1) & ~(size_t)(ALIGN - 1));
}

/* Merges the free blocks that follow `block` into it. */
static void absorb_free_after(unsigned char *block) {
    unsigned char *next = block + size_of(block);
    while (next < limit && is_free(next)) {
        *header(block) += size_of(next);
        next = block + size_of(block);
    }
}

/* Marks `block` used with `bytes`, leaving the rest of it a free block when there is one. */
static void *take(unsigned char *block, uint32_t bytes) {
    uint32_t size = size_of(block);
    if (size - bytes >= ALIGN) {
        *header(block + bytes) = size - bytes;
        size = bytes;
    }
    *header(block) = size | USED;
    return block + HEADER;
}

void *malloc(size_t n) {
    if (!heap_ready()) {
        return NULL;
    }
    uint32_t bytes = block_bytes(n == 0 ? 1 : n);
    if (bytes == 0) {
        return NULL;
    }
    for (unsigned char *block = first; block < limit; block += size_of(block)) {
        if (!is_free(block)) {
            continue;
        }
        absorb_free_after(block);
        if (size_of(block) >= bytes) {
            return take(block, bytes);
        }
    }
    return NULL;
}

/* The block of a payload malloc gave, or NULL for anything else. */
static unsigned char *block_of(void *p) {
    unsigned char *block = (unsigned char *)p - HEADER;
    if (first == NULL || block < first || block >= limit || ((uintptr_t)p & (ALIGN - 1)) != 0 || is_free(block)) {
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
    absorb_free_after(block);
    if (size_of(block) >= bytes) {
        return take(block, bytes);
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
