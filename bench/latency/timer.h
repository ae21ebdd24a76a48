/* The timer that raises the measured interrupt, per board (told apart by the console's address,
 * as the test fixtures do). One shot: latency_timer_fire(grains) raises the line `grains` grains
 * of LATENCY_GRAIN instructions from now (under -icount shift=0, one instruction is 1 ns), and
 * the handler's latency_timer_ack() stops it, so the line is raised once per sample.
 * - m4, m7 (mps2-an386/an500): CMSDK APB timer 0 at 0x40000000, line 8, 25 MHz: 40 instructions.
 * - m33 (mps2-an505): the IoTKit's CMSDK timer 0 at its Secure alias 0x50000000, line 3, 20 MHz.
 * - m55 (mps3-an547): the SSE-300's timer 0, a compare timer on the 32 MHz system counter, line
 *   3; compare values must be multiples of 4 counter ticks (125 ns) or QEMU 7.2 loops for ever
 *   (see test/fixtures/boxes/budget/main.c), so a grain is 125 instructions.
 * - lm3s6965 (lm3s6965evb): general-purpose timer 0, 32-bit one-shot, line 19 (Timer0A), on the
 *   12 MHz system clock: 83.3 instructions a tick (83 here: the steps inside a grain are near). */
#ifndef LATENCY_TIMER_H
#define LATENCY_TIMER_H

#include <stdint.h>

#include "bento/irq.h"
#include "bento/scb.h"

#if BENTO_UART_BASE == 0x59303000u
#define LATENCY_TIMER_IRQ 3u
#define LATENCY_GRAIN 125u
#define SSE_TIMER_BASE 0x58000000u
#define SSE_CNTPCT_LO    BENTO_REG(SSE_TIMER_BASE + 0x00u)
#define SSE_CNTPCT_HI    BENTO_REG(SSE_TIMER_BASE + 0x04u)
#define SSE_CNTP_CVAL_LO BENTO_REG(SSE_TIMER_BASE + 0x20u)
#define SSE_CNTP_CVAL_HI BENTO_REG(SSE_TIMER_BASE + 0x24u)
#define SSE_CNTP_CTL     BENTO_REG(SSE_TIMER_BASE + 0x2Cu)
#define SSE_SYSCOUNTER_CNTCR BENTO_REG(0x58100000u)
#define SSE_TICKS_PER_GRAIN 4u

static inline void latency_timer_init(void) { SSE_SYSCOUNTER_CNTCR = 1u; }

static inline void latency_timer_fire(uint32_t grains) {
    uint32_t hi, lo;
    do {
        hi = SSE_CNTPCT_HI;
        lo = SSE_CNTPCT_LO;
    } while (SSE_CNTPCT_HI != hi);
    uint64_t at = ((((uint64_t)hi << 32) | lo) + SSE_TICKS_PER_GRAIN - 1u) & ~(uint64_t)(SSE_TICKS_PER_GRAIN - 1u);
    at += (uint64_t)grains * SSE_TICKS_PER_GRAIN;
    SSE_CNTP_CVAL_HI = (uint32_t)(at >> 32);
    SSE_CNTP_CVAL_LO = (uint32_t)at;
    SSE_CNTP_CTL = 1u; /* enabled, interrupt not masked */
}

static inline void latency_timer_ack(void) { SSE_CNTP_CTL = 0u; }
#elif BENTO_UART_BASE == 0x4000C000u
#define LATENCY_TIMER_IRQ 19u
#define LATENCY_GRAIN 83u
#define GPTM0_BASE 0x40030000u
#define GPTM0_CFG   BENTO_REG(GPTM0_BASE + 0x00u)
#define GPTM0_TAMR  BENTO_REG(GPTM0_BASE + 0x04u)
#define GPTM0_CTL   BENTO_REG(GPTM0_BASE + 0x0Cu)
#define GPTM0_IMR   BENTO_REG(GPTM0_BASE + 0x18u)
#define GPTM0_ICR   BENTO_REG(GPTM0_BASE + 0x24u)
#define GPTM0_TAILR BENTO_REG(GPTM0_BASE + 0x28u)
#define SYSCTL_RCGC1 BENTO_REG(0x400FE104u)

static inline void latency_timer_init(void) {
    SYSCTL_RCGC1 |= 1u << 16; /* timer 0's clock (the part needs it; QEMU ignores it) */
    GPTM0_CTL = 0u;
    GPTM0_CFG = 0u;  /* 32 bits */
    GPTM0_TAMR = 1u; /* one shot */
    GPTM0_IMR = 1u;  /* time-out interrupt */
}

static inline void latency_timer_fire(uint32_t grains) {
    GPTM0_CTL = 0u;
    GPTM0_TAILR = grains;
    GPTM0_ICR = 1u;
    GPTM0_CTL = 1u; /* TAEN */
}

static inline void latency_timer_ack(void) {
    GPTM0_ICR = 1u;
    GPTM0_CTL = 0u;
}
#else
#if BENTO_UART_BASE == 0x50200000u
#define LATENCY_TIMER_IRQ 3u
#define LATENCY_GRAIN 50u
#define CMSDK_TIMER_BASE 0x50000000u
#elif BENTO_UART_BASE == 0x40004000u
#define LATENCY_TIMER_IRQ 8u
#define LATENCY_GRAIN 40u
#define CMSDK_TIMER_BASE 0x40000000u
#else
#error "bench/latency has no timer for this board (BENTO_UART_BASE); bento bench --latency says so before building"
#endif
#define CMSDK_CTRL     BENTO_REG(CMSDK_TIMER_BASE + 0x0u)
#define CMSDK_VALUE    BENTO_REG(CMSDK_TIMER_BASE + 0x4u)
#define CMSDK_RELOAD   BENTO_REG(CMSDK_TIMER_BASE + 0x8u)
#define CMSDK_INTCLEAR BENTO_REG(CMSDK_TIMER_BASE + 0xCu)

static inline void latency_timer_init(void) {}

static inline void latency_timer_fire(uint32_t grains) {
    CMSDK_CTRL = 0u;
    CMSDK_RELOAD = grains;
    CMSDK_VALUE = grains;
    CMSDK_INTCLEAR = 1u;
    CMSDK_CTRL = 9u; /* enabled, interrupt */
}

static inline void latency_timer_ack(void) {
    CMSDK_CTRL = 0u;
    CMSDK_INTCLEAR = 1u;
}
#endif

#endif
