/* table.grow/fill/copy/init and reset, with the same range checks as memory. */
#include <string.h>

#include "bento/wasm.h"

static int in_bounds(uint32_t start, uint32_t n, uint32_t size) {
    return start <= size && n <= size - start;
}

int32_t bento_wasm_table_grow(bento_wasm_table_t *t, void *init, uint32_t n) {
    uint32_t old = t->size;
    if (n > t->max - old) {
        return -1;
    }
    for (uint32_t i = 0; i < n; i++) {
        t->entries[old + i] = init;
    }
    t->size = old + n;
    return (int32_t)old;
}

void bento_wasm_table_fill(bento_wasm_table_t *t, uint32_t at, void *value, uint32_t n) {
    if (!in_bounds(at, n, t->size)) {
        bento_wasm_trap(BENTO_TRAP_TABLE_OUT_OF_BOUNDS);
    }
    for (uint32_t i = 0; i < n; i++) {
        t->entries[at + i] = value;
    }
}

void bento_wasm_table_copy(bento_wasm_table_t *dst, bento_wasm_table_t *src, uint32_t d, uint32_t s, uint32_t n) {
    if (!in_bounds(d, n, dst->size) || !in_bounds(s, n, src->size)) {
        bento_wasm_trap(BENTO_TRAP_TABLE_OUT_OF_BOUNDS);
    }
    memmove(dst->entries + d, src->entries + s, (size_t)n * sizeof(void *));
}

void bento_wasm_table_init(bento_wasm_table_t *t, uint32_t d, uint32_t s, uint32_t n, void *const *seg, uint32_t seg_len) {
    if (!in_bounds(d, n, t->size) || !in_bounds(s, n, seg_len)) {
        bento_wasm_trap(BENTO_TRAP_TABLE_OUT_OF_BOUNDS);
    }
    memcpy(t->entries + d, seg + s, (size_t)n * sizeof(void *));
}

void bento_wasm_table_reset(bento_wasm_table_t *t, uint32_t size) {
    memset(t->entries, 0, (size_t)t->max * sizeof(void *));
    t->size = size;
}
