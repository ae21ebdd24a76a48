/* The interrupt latency benchmark's host side, shared by the firmware with boxes (boxes/) and
 * the one without (baseline/). Each case calls an action many times; before each call the timer
 * is set to raise the interrupt a chosen number of instructions later, stepping through the
 * action one instruction (or `stride`) at a time. bento bench --latency runs the image under
 * QEMU with an instruction trace and counts, for each raise, the instructions executed from the
 * NVIC marking the line pending to the first instruction of latency_isr. The markers below are
 * functions whose addresses the trace shows: which case runs, and when its action does. */
#ifndef LATENCY_H
#define LATENCY_H

#include <stdint.h>
#include <stdio.h>

#include "bento/irq.h"
#include "timer.h"

volatile uint32_t latency_handled;

/* The measured handler: the recipe's host.interrupts.timer. */
void latency_isr(void) {
    latency_timer_ack();
    latency_handled++;
}

/* The action of the case runs between these two. Distinct bodies, so no two share an address. */
__attribute__((noinline)) void latency_window_open(void) { __asm__ volatile("nop"); }
__attribute__((noinline)) void latency_window_close(void) { __asm__ volatile("nop\n\tnop"); }

/* Runs n + 4 instructions, whatever n: moves the raise by one instruction per step inside a
 * timer grain. */
__attribute__((naked, noinline)) static void latency_pad(uint32_t n) {
    __asm__ volatile("lsrs r1, r0, #1\n\t"
                     "bcc 1f\n\t"
                     "nop\n"
                     "1:\n\t"
                     "cbz r1, 3f\n"
                     "2:\n\t"
                     "subs r1, r1, #1\n\t"
                     "bne 2b\n"
                     "3:\n\t"
                     "bx lr");
}

/* A host loop of about 7 instructions an iteration, the same in every image. */
__attribute__((noinline)) int32_t host_work(uint32_t loops) {
    uint32_t x = 1u;
    for (uint32_t i = 0; i < loops; i++) {
        x = (x * 1664525u + 1013904223u) ^ (x >> 7);
        __asm__ volatile("" : "+r"(x));
    }
    return (int32_t)(x & 0x7fffffffu);
}

typedef int32_t (*latency_action_t)(uint32_t);

/* `count` samples of a case: the raise goes `first`, `first + stride`, ... instructions after
 * the timer is set (the action starts a constant few instructions after that). Each sample
 * waits until the handler ran, so a raise the action outlasts lands in the host's wait loop. */
static void latency_sweep(const char *name, void (*mark)(void), latency_action_t action, uint32_t arg, uint32_t first, uint32_t stride,
                          uint32_t count) {
    uint32_t handled = latency_handled;
    mark();
    for (uint32_t i = 0; i < count; i++) {
        uint32_t at = first + i * stride;
        uint32_t before = latency_handled;
        latency_timer_fire(at / LATENCY_GRAIN + 1u);
        latency_pad(LATENCY_GRAIN - 1u - at % LATENCY_GRAIN);
        latency_window_open();
        action(arg);
        latency_window_close();
        while (latency_handled == before) {
        }
    }
    printf("latency case=%s samples=%lu handled=%lu\n", name, (unsigned long)count, (unsigned long)(latency_handled - handled));
}

static void latency_start(void) {
    latency_timer_init();
    bento_irq_enable(LATENCY_TIMER_IRQ);
}

#define LATENCY_CASE(name) __attribute__((noinline)) void latency_case_##name(void) { __asm__ volatile("" ::: "memory"); }

#endif
