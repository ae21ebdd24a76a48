/* The `spectest` host module of the Wasm reference interpreter, which the spec scripts import
 * from: print functions (which print nothing here: the UART carries the results protocol),
 * four immutable globals, a table of 10 funcrefs (max 20) and a memory of 1 page (max 2).
 * Symbols and layouts are the ones src/spec/link.ts hands the lowering for these imports.
 * BENTO_SPEC_SPECTEST_PAGES is 2, or 0 on a board without room for the memory: then it is left
 * out, and the harness builds no module that imports it. */
#include <stdint.h>
#include <string.h>

#include "bento/wasm.h"
#include "spec.h"

#define PAGE_SIZE 65536u
#define TABLE_MIN 10u
#define TABLE_MAX 20u
#define MEMORY_MIN_PAGES 1u
#define MEMORY_MAX_PAGES 2u

#ifndef BENTO_SPEC_SPECTEST_PAGES
#error "BENTO_SPEC_SPECTEST_PAGES must be defined (2, or 0 without spectest's memory)"
#endif
#if BENTO_SPEC_SPECTEST_PAGES != 0 && BENTO_SPEC_SPECTEST_PAGES != MEMORY_MAX_PAGES
#error "BENTO_SPEC_SPECTEST_PAGES must be 2 or 0"
#endif

/* Imported with the internal convention of a function without results: plain C calls. */
void bento_spectest_print(void) {}
void bento_spectest_print_i32(int32_t a) { (void)a; }
void bento_spectest_print_i64(int64_t a) { (void)a; }
void bento_spectest_print_f32(float a) { (void)a; }
void bento_spectest_print_f64(double a) { (void)a; }
void bento_spectest_print_i32_f32(int32_t a, float b) { (void)a; (void)b; }
void bento_spectest_print_f64_f64(double a, double b) { (void)a; (void)b; }

int32_t bento_spectest_global_i32 = 666;
int64_t bento_spectest_global_i64 = 666;
float bento_spectest_global_f32 = 666.6f;
double bento_spectest_global_f64 = 666.6;

static void *table_entries[TABLE_MAX];
bento_wasm_table_t bento_spectest_table = {table_entries, TABLE_MIN, TABLE_MAX};

#if BENTO_SPEC_SPECTEST_PAGES
/* In .bss.bento_spectest_memory (-fdata-sections), which the linker script puts with the other
 * linear memories (*_memory). That region is not cleared at reset: bento_spectest_reset does it. */
uint8_t bento_spectest_memory[MEMORY_MAX_PAGES * PAGE_SIZE] __attribute__((aligned(16)));
bento_wasm_instance_t bento_spectest_instance = {
    bento_spectest_memory,
    MEMORY_MIN_PAGES * PAGE_SIZE,
    MEMORY_MAX_PAGES * PAGE_SIZE,
    "spectest",
};
#endif

void bento_spectest_reset(void) {
#if BENTO_SPEC_SPECTEST_PAGES
    memset(bento_spectest_memory, 0, sizeof bento_spectest_memory);
    bento_spectest_instance.memory_size = MEMORY_MIN_PAGES * PAGE_SIZE;
#endif
    memset(table_entries, 0, sizeof table_entries);
    bento_spectest_table.size = TABLE_MIN;
}
