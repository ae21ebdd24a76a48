/* malloc for C built into a Wasm box. bento sizes such a box's linear memory to what it uses:
 * the shadow stack and data (up to __heap_base) and BENTO_BOX_HEAP bytes of heap after them.
 * This allocator never grows the memory (wasi-libc's dlmalloc asks sbrk for 64 KiB at a time,
 * which such a memory never has), so running out returns NULL with errno ENOMEM.
 *
 * First fit (bento/first_fit.h), payloads 16-byte aligned as wasm32's max_align_t wants. Every
 * definition is weak: a box that brings its own allocator keeps it. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bento/first_fit.h"

#ifndef BENTO_BOX_HEAP
#error "BENTO_BOX_HEAP (the box's heap in bytes) is set by bento"
#endif

#define WEAK __attribute__((weak))

extern unsigned char __heap_base;

static bento_fit_t heap = { NULL, NULL, 16u };

#define ALIGN 16u
#define HEADER BENTO_FIT_HEADER
#define USED BENTO_FIT_USED
#define header bento_fit_header
#define size_of bento_fit_size

static int heap_ready(void) {
    return bento_fit_ready(&heap, (uintptr_t)&__heap_base, (uintptr_t)&__heap_base + BENTO_BOX_HEAP);
}

static uint32_t block_bytes(size_t n) {
    return bento_fit_block_bytes(&heap, n, BENTO_BOX_HEAP);
}

WEAK void *malloc(size_t n) {
    uint32_t bytes = block_bytes(n == 0 ? 1 : n);
    void *p = bytes != 0 && heap_ready() ? bento_fit_find(&heap, bytes) : NULL;
    if (p == NULL) {
        errno = ENOMEM;
    }
    return p;
}

WEAK void free(void *p) {
    if (p != NULL) {
        *header((unsigned char *)p - HEADER) &= ~USED;
    }
}

WEAK void *calloc(size_t count, size_t size) {
    if (size != 0 && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = malloc(count * size);
    if (p != NULL) {
        memset(p, 0, count * size);
    }
    return p;
}

WEAK size_t malloc_usable_size(void *p) {
    return p == NULL ? 0 : size_of((unsigned char *)p - HEADER) - HEADER;
}

WEAK void *realloc(void *p, size_t n) {
    if (p == NULL) {
        return malloc(n);
    }
    if (n == 0) {
        free(p);
        return NULL;
    }
    unsigned char *block = (unsigned char *)p - HEADER;
    uint32_t bytes = block_bytes(n);
    if (bytes == 0) {
        errno = ENOMEM;
        return NULL;
    }
    /* Grow or shrink in place when the free blocks after it allow. */
    *header(block) &= ~USED;
    bento_fit_absorb(&heap, block);
    if (size_of(block) >= bytes) {
        return bento_fit_take(&heap, block, bytes);
    }
    *header(block) |= USED;
    void *moved = malloc(n);
    if (moved != NULL) {
        memcpy(moved, p, malloc_usable_size(p));
        free(p);
    }
    return moved;
}

WEAK int posix_memalign(void **out, size_t align, size_t n) {
    if (align < sizeof(void *) || (align & (align - 1)) != 0) {
        return EINVAL;
    }
    if (align <= ALIGN) {
        *out = malloc(n);
        return *out == NULL ? ENOMEM : 0;
    }
    /* Room to move the payload up to the alignment; the block in front is freed again. */
    if (n > BENTO_BOX_HEAP || align > BENTO_BOX_HEAP) {
        return ENOMEM;
    }
    unsigned char *p = malloc(n + align);
    if (p == NULL) {
        return ENOMEM;
    }
    uintptr_t aligned = ((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1);
    unsigned char *block = p - HEADER;
    if (aligned != (uintptr_t)p) {
        /* Both payloads are 16-aligned, so the front part is a whole number of 16-byte units. */
        unsigned char *moved = (unsigned char *)aligned - HEADER;
        uint32_t front = (uint32_t)(moved - block);
        *header(moved) = (size_of(block) - front) | USED;
        *header(block) = front;
        block = moved;
    }
    *header(block) &= ~USED;
    *out = bento_fit_take(&heap, block, block_bytes(n));
    return 0;
}

WEAK void *aligned_alloc(size_t align, size_t n) {
    void *p = NULL;
    int failed = posix_memalign(&p, align, n);
    if (failed) {
        errno = failed;
    }
    return p;
}
