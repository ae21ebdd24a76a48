/* CMSDK APB timer 0 of the MPS2 boards (QEMU's hw/arm/mps2.c: 0x40000000, 25 MHz). */
#include <stdint.h>

#include "bento/irq.h"
#include "bento_irqs.h"
#include "timer.h"

#define TIMER0_BASE 0x40000000u
#define TIMER_CTRL     (*(volatile uint32_t *)(TIMER0_BASE + 0x0u))
#define TIMER_VALUE    (*(volatile uint32_t *)(TIMER0_BASE + 0x4u))
#define TIMER_RELOAD   (*(volatile uint32_t *)(TIMER0_BASE + 0x8u))
#define TIMER_INTCLEAR (*(volatile uint32_t *)(TIMER0_BASE + 0xCu))
#define CTRL_ENABLE (1u << 0)
#define CTRL_IRQ    (1u << 3)
#define CLOCK_HZ 25000000u

void timer_start(uint32_t hz) {
    TIMER_CTRL = 0u;
    TIMER_RELOAD = CLOCK_HZ / hz - 1u;
    TIMER_VALUE = CLOCK_HZ / hz - 1u;
    TIMER_INTCLEAR = 1u;
    TIMER_CTRL = CTRL_ENABLE | CTRL_IRQ;
    bento_irq_enable(BENTO_IRQ_TIMER0);
}

void timer_stop(void) {
    TIMER_CTRL = 0u;
    TIMER_INTCLEAR = 1u;
    bento_irq_disable(BENTO_IRQ_TIMER0);
    bento_irq_unpend(BENTO_IRQ_TIMER0);
}

/* The sensor box's import: the timer's request answered, or the line stays high. */
void timer_ack(void) {
    TIMER_INTCLEAR = 1u;
}
