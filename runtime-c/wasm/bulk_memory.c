/* memory.grow, memory.init and instance reset, with the block copies of fast_mem.h. Every range is
 * checked without 32-bit wrap-around: start <= size && n <= size - start. (memory.copy and
 * memory.fill are compiled inline: a bounds check and a call of bento_memmove or bento_memset.) */
#include "bento/fast_mem.h"
#include "bento/wasm.h"

static int in_bounds(uint32_t start, uint32_t n, uint32_t size) {
    return start <= size && n <= size - start;
}

/* Pages are 64 KiB (page_log2 16) or, with a custom page size, one byte (0). */
int32_t bento_wasm_memory_grow(bento_wasm_instance_t *inst, int32_t delta_pages, uint32_t page_log2) {
    uint32_t old_pages = inst->memory_size >> page_log2;
    uint32_t delta = (uint32_t)delta_pages;
    uint32_t max_pages = inst->memory_max >> page_log2;
    if (delta > max_pages - old_pages) {
        return -1;
    }
    /* Pages handed out again after a restart may hold old data: clear them. */
    bento_memset(inst->memory + inst->memory_size, 0, (size_t)delta << page_log2);
    inst->memory_size += delta << page_log2;
    return (int32_t)old_pages;
}

void bento_wasm_memory_init(bento_wasm_instance_t *inst, uint32_t dst, uint32_t src, uint32_t n, const uint8_t *seg, uint32_t seg_len) {
    if (!in_bounds(dst, n, inst->memory_size) || !in_bounds(src, n, seg_len)) {
        bento_wasm_trap(BENTO_TRAP_MEMORY_OUT_OF_BOUNDS);
    }
    bento_memcpy(inst->memory + dst, seg + src, n);
}

/* Clears the initial memory only. It cannot clear "what the last life used": by the time it runs,
 * the instance record (memory_size included) has been written back to its initial values, and
 * for a box it lives in RAM the box could write anyway. Pages past `bytes` are cleared when
 * memory.grow hands them out, which is enough where accesses past the size trap (software
 * bounds); a memory that can be read past its size (mask, mpu, none) must be cleared whole by
 * whoever re-initialises it: the box glue clears the whole linear memory region first. */
void bento_wasm_memory_reset(bento_wasm_instance_t *inst, uint32_t bytes) {
    bento_memset(inst->memory, 0, bytes);
    inst->memory_size = bytes;
}
