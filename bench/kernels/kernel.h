/*
 * The contract between a benchmark kernel and the harness that times it.
 *
 * Each kernel is one C file that defines these four names and keeps all its data in static
 * arrays, so the data lands in .bss natively and in linear memory in a Wasm module. The harness
 * calls kernel_init, then kernel_run (the measured part), then kernel_checksum. Many kernels
 * update their data in place and so consume their inputs: call kernel_init again before
 * another kernel_run.
 *
 * kernel_checksum folds the outputs, floats by their bit patterns, into 32 bits that are the
 * same on x86, Thumb (FPv4-SP and FPv5-D16) and Wasm when built with -ffp-contract=off.
 *
 * A kernel that mallocs in kernel_run (and frees it all before returning) declares its heap on a
 * line of its own, `#define KERNEL_HEAP_BYTES <n>`: the bench gives the native image that much
 * more heap and the Wasm box a memory that grows into it (README.md).
 */
#ifndef BENTO_BENCH_KERNEL_H
#define BENTO_BENCH_KERNEL_H

#include <stdint.h>

extern const char *const kernel_name;

void kernel_init(void);
void kernel_run(void);
uint32_t kernel_checksum(void);

/* What every kernel shares, static so that each keeps its own copy (and the code is the same as
 * when each file carried it): the input generator, seeded by kernel_init, and the checksum fold. */
__attribute__((unused)) static uint32_t lcg_state;

__attribute__((unused)) static uint32_t lcg_next(void)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state;
}

__attribute__((unused)) static uint32_t fold(uint32_t h, uint32_t word)
{
    h = (h ^ word) * 0x9e3779b1u;
    return h ^ (h >> 16);
}

#endif
