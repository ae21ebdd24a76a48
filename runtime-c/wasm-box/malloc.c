/* malloc for C built into a Wasm box. bento sizes such a box's linear memory to what it uses:
 * the shadow stack and data (up to __heap_base) and BENTO_BOX_HEAP bytes of heap after them.
 * This allocator never grows the memory (wasi-libc's dlmalloc asks sbrk for 64 KiB at a time,
 * which such a memory never has), so running out returns NULL with errno ENOMEM.
 *
 * First fit over an implicit list: every block starts with a 4-byte header holding its size
 * (header included, a multiple of 16) and a used bit; payloads are 16-byte aligned, as wasm32's
 * max_align_t wants. Free neighbours are merged as malloc walks past them. Every definition is
 * weak: a box that brings its own allocator keeps it. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifndef BENTO_BOX_HEAP
#error "BENTO_BOX_HEAP (the box's heap in bytes) is set by bento"
#endif

#define ALIGN 16u
#define USED 1u
#define HEADER sizeof(uint32_t)
#define WEAK __attribute__((weak))

extern unsigned char __heap_base;

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
    uintptr_t base = (uintptr_t)&__heap_base;
    uintptr_t end = base + BENTO_BOX_HEAP;
    uintptr_t payload = (base + HEADER + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
    if (payload + ALIGN > end) {
        return 0;
    }
    first = (unsigned char *)(payload - HEADER);
    limit = first + ((end - (uintptr_t)first) & ~(uintptr_t)(ALIGN - 1));
    *header(first) = (uint32_t)(limit - first);
    return 1;
}

/* Bytes of block for a payload of n, or 0 when no heap could hold it. */
static uint32_t block_bytes(size_t n) {
    if (n > BENTO_BOX_HEAP) {
        return 0;
    }
    return (uint32_t)((n + HEADER + ALIGN - 1) & ~(size_t)(ALIGN - 1));
}

/* Merges the free blocks that follow a free block into it. */
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

WEAK void *malloc(size_t n) {
    uint32_t bytes = block_bytes(n == 0 ? 1 : n);
    if (bytes != 0 && heap_ready()) {
        for (unsigned char *block = first; block < limit; block += size_of(block)) {
            if (!is_free(block)) {
                continue;
            }
            absorb_free_after(block);
            if (size_of(block) >= bytes) {
                return take(block, bytes);
            }
        }
    }
    errno = ENOMEM;
    return NULL;
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
    absorb_free_after(block);
    if (size_of(block) >= bytes) {
        return take(block, bytes);
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
    *out = take(block, block_bytes(n));
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
