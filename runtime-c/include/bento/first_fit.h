/* Next fit over an implicit list, the allocator core of Wasm boxes (runtime-c/wasm-box/malloc.c)
 * and of native boxes' heap service (runtime-c/box-libc/heap.c). Every block starts with a
 * 4-byte header holding its size (header included, a multiple of the alignment) and a used bit;
 * payloads are aligned to `align` (16 for wasm32's max_align_t, 8 for the AAPCS). Free
 * neighbours are merged as the search walks past them. The includer keeps the heap's state.
 *
 * The search starts where the last one ended (the rover) and wraps around once: a program that
 * keeps thousands of small blocks alive (a parsed JSON document) no longer walks past all of them
 * on every malloc, as first fit from the start did (cJSON spent 53% of its instructions there). */
#ifndef BENTO_FIRST_FIT_H
#define BENTO_FIRST_FIT_H

#include <stddef.h>
#include <stdint.h>

#define BENTO_FIT_USED 1u
#define BENTO_FIT_HEADER 4u

typedef struct bento_fit {
    unsigned char *first; /* the first block's header, NULL until the heap is set up */
    unsigned char *limit; /* the end of the last block */
    uint32_t align;
    unsigned char *rover; /* a block's header: where the next search starts (NULL: at first) */
} bento_fit_t;

static inline uint32_t *bento_fit_header(unsigned char *block) {
    return (uint32_t *)(void *)block;
}

static inline uint32_t bento_fit_size(unsigned char *block) {
    return *bento_fit_header(block) & ~BENTO_FIT_USED;
}

static inline int bento_fit_is_free(unsigned char *block) {
    return (*bento_fit_header(block) & BENTO_FIT_USED) == 0;
}

/* One free block over [start, end), the first time anything asks; 0 when not even one fits. */
static inline int bento_fit_ready(bento_fit_t *h, uintptr_t start, uintptr_t end) {
    if (h->first != NULL) {
        return 1;
    }
    uintptr_t payload = (start + BENTO_FIT_HEADER + h->align - 1) & ~(uintptr_t)(h->align - 1);
    if (end < payload + h->align) {
        return 0;
    }
    h->first = (unsigned char *)(payload - BENTO_FIT_HEADER);
    h->limit = h->first + ((end - (uintptr_t)h->first) & ~(uintptr_t)(h->align - 1));
    *bento_fit_header(h->first) = (uint32_t)(h->limit - h->first);
    return 1;
}

/* Bytes of block for a payload of n, or 0 when no heap of `most` bytes could hold it. */
static inline uint32_t bento_fit_block_bytes(const bento_fit_t *h, size_t n, size_t most) {
    if (n > most) {
        return 0;
    }
    return (uint32_t)((n + BENTO_FIT_HEADER + h->align - 1) & ~(size_t)(h->align - 1));
}

/* Merges the free blocks that follow `block` into it; a rover inside them moves to `block`. */
static inline void bento_fit_absorb(bento_fit_t *h, unsigned char *block) {
    unsigned char *next = block + bento_fit_size(block);
    while (next < h->limit && bento_fit_is_free(next)) {
        if (h->rover == next) {
            h->rover = block;
        }
        *bento_fit_header(block) += bento_fit_size(next);
        next = block + bento_fit_size(block);
    }
}

/* Marks `block` used with `bytes`, leaving the rest of it a free block when there is one. */
static inline void *bento_fit_take(bento_fit_t *h, unsigned char *block, uint32_t bytes) {
    uint32_t size = bento_fit_size(block);
    if (size - bytes >= h->align) {
        *bento_fit_header(block + bytes) = size - bytes;
        size = bytes;
    }
    *bento_fit_header(block) = size | BENTO_FIT_USED;
    return block + BENTO_FIT_HEADER;
}

/* The first free block of at least `bytes` in [from, to), taken; NULL when none is. */
static inline void *bento_fit_scan(bento_fit_t *h, unsigned char *from, unsigned char *to, uint32_t bytes) {
    for (unsigned char *block = from; block < to; block += bento_fit_size(block)) {
        if (!bento_fit_is_free(block)) {
            continue;
        }
        bento_fit_absorb(h, block);
        if (bento_fit_size(block) >= bytes) {
            void *p = bento_fit_take(h, block, bytes);
            unsigned char *after = block + bento_fit_size(block);
            h->rover = after < h->limit ? after : h->first;
            return p;
        }
    }
    return NULL;
}

/* The first free block of at least `bytes` from the rover on, then from the start up to it. */
static inline void *bento_fit_find(bento_fit_t *h, uint32_t bytes) {
    unsigned char *rover = h->rover != NULL ? h->rover : h->first;
    void *p = bento_fit_scan(h, rover, h->limit, bytes);
    if (p == NULL && rover != h->first) {
        /* A free block just before the rover may run on past it: merging stops at the rover's
         * block only if that one is used, so scan to the limit again rather than to the rover. */
        p = bento_fit_scan(h, h->first, h->limit, bytes);
    }
    return p;
}

#endif
