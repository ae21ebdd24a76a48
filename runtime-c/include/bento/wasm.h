/* What compiled Wasm code and the C runtime share: the instance record, trap kinds, hooks.
 * The lowering (src/lower/) emits code against exactly these layouts and names. */
#ifndef BENTO_WASM_H
#define BENTO_WASM_H

#include <stdint.h>

/* One instance of a Wasm module. Generated code reads and writes memory_size directly. */
typedef struct bento_wasm_instance {
    uint8_t *memory;      /* linear memory base */
    uint32_t memory_size; /* current size in bytes (a multiple of 64 KiB) */
    uint32_t memory_max;  /* bytes reserved for it: memory.grow fails past this */
    const char *name;     /* for messages */
} bento_wasm_instance_t;

/* A table: entries are funcref records (see below) or externref values; NULL is ref.null. */
typedef struct bento_wasm_table {
    void **entries;
    uint32_t size; /* current size */
    uint32_t max;  /* entries reserved: table.grow fails past this */
} bento_wasm_table_t;

/* What a funcref points at: the function's type (a symbol whose address stands for it, the same
 * in every module of an image) and its code, with the internal calling convention. */
typedef struct bento_wasm_funcref {
    const void *signature;
    void (*code)(void);
} bento_wasm_funcref_t;

/* Trap kinds; bento_wasm_trap_name() gives the spec's wording. */
enum bento_wasm_trap {
    BENTO_TRAP_UNREACHABLE = 1,
    BENTO_TRAP_DIVIDE_BY_ZERO = 2,
    BENTO_TRAP_INTEGER_OVERFLOW = 3,
    BENTO_TRAP_INVALID_CONVERSION = 4,
    BENTO_TRAP_MEMORY_OUT_OF_BOUNDS = 5,
    BENTO_TRAP_TABLE_OUT_OF_BOUNDS = 6,
    BENTO_TRAP_UNINITIALIZED_ELEMENT = 7,
    BENTO_TRAP_INDIRECT_CALL_TYPE_MISMATCH = 8,
    BENTO_TRAP_STACK_EXHAUSTED = 9,
    BENTO_TRAP_MEMORY_FAULT = 10, /* an MPU fault inside the guest (mpu bounds mode) */
};

const char *bento_wasm_trap_name(int32_t kind);

/* Called by generated code on a trap (runtime-c/wasm/trap_entry.c): it moves to a safe stack
 * and calls bento_wasm_on_trap. */
void bento_wasm_trap(int32_t kind) __attribute__((noreturn));

/* What a trap does, decided by the image: run-wasm reports it and exits; the spec driver
 * unwinds to the next command; a box unwinds to its caller. */
void bento_wasm_on_trap(int32_t kind) __attribute__((noreturn));

/* Called by WASI proc_exit. */
void bento_wasm_exit(bento_wasm_instance_t *instance, int32_t code) __attribute__((noreturn));

/* Memory and table instructions too large to inline; each traps on out-of-bounds input. */
int32_t bento_wasm_memory_grow(bento_wasm_instance_t *inst, int32_t delta_pages, uint32_t page_log2);
void bento_wasm_memory_init(bento_wasm_instance_t *inst, uint32_t dst, uint32_t src, uint32_t n, const uint8_t *seg, uint32_t seg_len);
/* Clears the first `bytes` of the memory and sets its size back to `bytes` (instantiation). It
 * does not clear past `bytes`: memory.grow clears pages as it hands them out, and a box's host
 * clears its whole linear memory region before each (re)initialisation. */
void bento_wasm_memory_reset(bento_wasm_instance_t *inst, uint32_t bytes);
int32_t bento_wasm_table_grow(bento_wasm_table_t *t, void *init, uint32_t n);
void bento_wasm_table_fill(bento_wasm_table_t *t, uint32_t at, void *value, uint32_t n);
void bento_wasm_table_copy(bento_wasm_table_t *dst, bento_wasm_table_t *src, uint32_t d, uint32_t s, uint32_t n);
void bento_wasm_table_init(bento_wasm_table_t *t, uint32_t d, uint32_t s, uint32_t n, void *const *seg, uint32_t seg_len);
void bento_wasm_table_reset(bento_wasm_table_t *t, uint32_t size);

/* Generated code compares the stack pointer with this on function entry and traps below it. */
extern uintptr_t bento_wasm_stack_limit;

#endif
