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
 * ("count <workload> <instructions>"), so that stdout is the same on every target.
 */
#ifndef BENTO_BENCH_LIBRARIES_COUNT_H
#define BENTO_BENCH_LIBRARIES_COUNT_H

#include <stdint.h>
#include <stdio.h>

#if defined(__wasm__)
#include <time.h>
#define COUNT_AVAILABLE 1
static uint64_t count_now(void)
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
static uint64_t count_now(void)
{
    const uint32_t now = bento_counter_read();
    count_ticks += (uint32_t)(now - count_last);
    count_last = now;
    return count_ticks * 1000000000u / BENTO_COUNTER_HZ;
}
#else
#define COUNT_AVAILABLE 0
static uint64_t count_now(void)
{
    return 0;
}
#endif

/* Reports the instructions since `start` (a count_now() value) on stderr, where they are counted. */
static void count_report(const char *workload, uint64_t start)
{
#if COUNT_AVAILABLE
    const uint64_t n = count_now() - start;
    /* newlib-nano's printf has no %llu: a workload stays far below 2^32 instructions. */
    fprintf(stderr, "count %s %lu\n", workload, (unsigned long)(n > 0xffffffffu ? 0xffffffffu : n));
#else
    (void)workload;
    (void)start;
#endif
}

#endif
