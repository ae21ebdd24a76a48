/*
 * The instruction counter of the library workloads, the same source on every target:
 *
 * - bento native (Thumb, no OS): the board's free-running counter (bento/counter.h), in
 *   nanoseconds of virtual time;
 * - WASI (bento run-wasm): clock_gettime(CLOCK_MONOTONIC), which bento's WASI layer reads from
 *   the same counter;
 * - anything else (the gcc build on Linux, for the reference output): nothing is counted.
 *
 * Under QEMU -icount shift=0 (bento run --icount, bento run-wasm --icount) a nanosecond of
 * virtual time is one instruction, so the figure is the workload's instruction count, to the
 * counter's tick (40 instructions at 25 MHz). The count goes to stderr on a line of its own
 * (with the stack's and the heap's peaks, below), so that stdout is the same on every target.
 */
#ifndef BENTO_BENCH_LIBRARIES_COUNT_H
#define BENTO_BENCH_LIBRARIES_COUNT_H

#include <stdint.h>
#include <stdio.h>

#if defined(__wasm__)
#include <time.h>
#define COUNT_AVAILABLE 1
__attribute__((unused)) static uint64_t count_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
#elif defined(__arm__) && !defined(__linux__)
#include "bento/counter.h"
#define COUNT_AVAILABLE 1
static uint32_t count_last;
static uint64_t count_ticks;
/* The counter is 32 bits wide; reading it at least once per wrap (171 s at 25 MHz) is enough. */
__attribute__((unused)) static uint64_t count_now(void)
{
    const uint32_t now = bento_counter_read();
    count_ticks += (uint32_t)(now - count_last);
    count_last = now;
    return count_ticks * 1000000000u / BENTO_COUNTER_HZ;
}
#else
#define COUNT_AVAILABLE 0
__attribute__((unused)) static uint64_t count_now(void)
{
    return 0;
}
#endif

/*
 * The deepest the stack went while the workload ran, by painting: the free stack below the
 * caller is filled with a pattern before, and the lowest word that changed is found after.
 * Natively that is the main stack (down to __bento_stack_limit, bento's linker script); in
 * WASI it is the shadow stack in linear memory (down to __data_end, wasm-ld's: the stack sits
 * above the data unless linked with --stack-first), not the native frames the compiled code
 * also takes on the board's stack.
 */
#define COUNT_PAINT 0x5ca1ab1eu
#if defined(__wasm__)
extern unsigned char __data_end[];
#define COUNT_STACK_BOTTOM ((uintptr_t)__data_end)
#elif COUNT_AVAILABLE
extern unsigned char __bento_stack_limit[];
#define COUNT_STACK_BOTTOM ((uintptr_t)__bento_stack_limit)
#endif

__attribute__((unused)) static uint64_t count_start;
__attribute__((unused)) static uintptr_t count_stack_top;

/* The heap's high-water mark, where a workload counts it (cjson.c, through cJSON's hooks). */
__attribute__((unused)) static unsigned long count_heap_peak;

__attribute__((unused, noinline)) static void count_paint(void)
{
#ifdef COUNT_STACK_BOTTOM
    volatile uint32_t here = 0;
    count_stack_top = (uintptr_t)&here;
    /* Leave this function's frame and what calls it (count_now) below it alone. */
    for (uintptr_t a = (COUNT_STACK_BOTTOM + 3) & ~(uintptr_t)3; a + 256 < count_stack_top; a += 4) *(volatile uint32_t *)a = COUNT_PAINT;
#endif
}

__attribute__((unused)) static unsigned long count_stack_peak(void)
{
#ifdef COUNT_STACK_BOTTOM
    uintptr_t a = (COUNT_STACK_BOTTOM + 3) & ~(uintptr_t)3;
    while (a + 256 < count_stack_top && *(volatile uint32_t *)a == COUNT_PAINT) a += 4;
    return (unsigned long)(count_stack_top - a);
#else
    return 0;
#endif
}

/* Starts counting: paints the free stack, then reads the counter. */
__attribute__((unused)) static void count_begin(void)
{
    count_paint();
    count_start = count_now();
}

/*
 * Reports, on stderr, the instructions since count_begin, the stack's peak below the caller
 * and the heap's peak where counted: "count <workload> <instructions> stack <bytes> heap <bytes>".
 */
__attribute__((unused)) static void count_end(const char *workload)
{
#if COUNT_AVAILABLE
    const uint64_t n = count_now() - count_start;
    /* newlib-nano's printf has no %llu: a workload stays far below 2^32 instructions. */
    fprintf(stderr, "count %s %lu stack %lu heap %lu\n", workload, (unsigned long)(n > 0xffffffffu ? 0xffffffffu : n),
            count_stack_peak(), count_heap_peak);
#else
    (void)workload;
#endif
}

#endif
