/* CPU budgets of boxes on SysTick (see bento/box.h). SysTick counts the core clock (CLKSOURCE
 * = processor clock; 25 MHz on QEMU's MPS2 boards, one tick every 40 instructions under
 * -icount shift=0). Its reload value has 24 bits, so a longer budget is counted in chunks.
 *
 * What is charged: a call into a box with a budget is charged for its own instructions, for
 * the boundary work of the calls it makes straight into other boxes (checks, copies, switches)
 * and for the time of those boxes: they run on its behalf. Not charged: host functions it
 * calls through its gates (the host's time, and the boxes the host calls from there) and host
 * interrupt handlers (runtime-c/irq pauses the count around them). The boxes being charged now
 * form a chain, innermost first (`chain`, linked through charge_next); SysTick counts to the
 * smallest budget left among them, and every tick counted is taken from each of them.
 *
 * SysTick runs at priority 0 while a budget counts, so no BASEPRI of the host can mask it; the
 * SVC and fault handlers share priority 0, so it never preempts them. It aborts only a box it
 * finds running in Thread mode; caught anywhere else (a host interrupt handler, the host doing
 * a call's boundary work) it leaves the budget used up, and whoever resumes the box ends it. */
#include <stdint.h>

#include "bento/box.h"
#include "bento/primask.h"
#include "bento/irq.h"
#include "bento/scb.h"

#define SYST_CSR BENTO_REG(0xE000E010u)
#define SYST_RVR BENTO_REG(0xE000E014u)
#define SYST_CVR BENTO_REG(0xE000E018u)
#define SYST_CSR_ENABLE    (1u << 0)
#define SYST_CSR_TICKINT   (1u << 1)
#define SYST_CSR_CLKSOURCE (1u << 2)
#define SYST_CSR_COUNTFLAG (1u << 16) /* counted to 0 since the last read; reading clears it */
#define SHPR3_SYSTICK (*(volatile uint8_t *)0xE000ED23u)
#define ICSR_PENDSTSET (1u << 26)
#define ICSR_PENDSTCLR (1u << 25)
#define ICSR_PENDSVSET (1u << 28)
#define CHUNK_MAX (1u << 24)
#define EXC_RETURN_TO_THREAD_PSP(r) (((r) & 0xcu) == 0xcu)

/* The boxes charged now, innermost first; NULL while nothing is (SysTick is then the
 * program's own). */
bento_box_t *volatile bento_budget_chain;
/* Ticks of the chunk SysTick counts now (0: it does not count). */
static uint32_t armed;
/* Host interrupt handlers running now: the count waits until the last one ends. */
static uint32_t irq_depth;
static uint32_t late;

/* Counts `ticks` from now: reload chunk - 1, current value 0, so the first clock edge loads
 * the reload value and the count reaches 0 `chunk` edges later. */
static void count(uint32_t ticks) {
    uint32_t chunk = ticks > CHUNK_MAX ? CHUNK_MAX : ticks < 2u ? 2u : ticks;
    armed = chunk;
    SHPR3_SYSTICK = 0u; /* priority 0: no BASEPRI holds it off */
    SYST_RVR = chunk - 1u;
    SYST_CVR = 0u;
    SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE;
}

/* Stops the count, and forgets an expiry pending behind the SVC or a fault handler. */
static void halt(void) {
    SYST_CSR = 0u;
    SCB_ICSR = ICSR_PENDSTCLR;
    armed = 0u;
}

/* Core clock ticks since the count reached 0: none while the counter still reads 0; after
 * that it reloads (one edge) and counts down from the reload value. */
static uint32_t since_expiry(uint32_t current) {
    return current == 0u ? 0u : SYST_RVR - current + 1u;
}

static uint32_t least_left(void) {
    uint32_t least = UINT32_MAX;
    for (bento_box_t *b = bento_budget_chain; b; b = b->charge_next) {
        if (b->budget_left < least) {
            least = b->budget_left;
        }
    }
    return least;
}

/* Stops the count and takes what it counted from every box of the chain. With `begun`, a tick
 * that has begun counts as used, so even a box that only runs a moment between host calls
 * uses its budget up; without, the count is exact (an interrupt pausing it). */
static void settle(int begun) {
    if (armed == 0u) {
        return;
    }
    uint32_t current = SYST_CVR;
    uint32_t csr = SYST_CSR; /* after CVR: an expiry between the two reads shows here */
    uint32_t after = SYST_CVR;
    uint32_t chunk = armed;
    halt();
    uint32_t used;
    if (csr & SYST_CSR_COUNTFLAG) {
        used = chunk; /* this chunk ran out (its handler had no chance to run) */
        late = since_expiry(after);
    } else if (current == 0u) {
        used = begun ? 1u : 0u;
    } else {
        used = chunk - current + (begun ? 1u : 0u);
    }
    for (bento_box_t *b = bento_budget_chain; b; b = b->charge_next) {
        b->budget_left = b->budget_left > used ? b->budget_left - used : 0u;
    }
}

/* Counts again for the chain, unless a host interrupt handler runs. 0 when a budget of the
 * chain is used up (nothing counts then). */
static int arm(void) {
    if (bento_budget_chain == 0 || irq_depth != 0u) {
        return 1;
    }
    uint32_t least = least_left();
    if (least == 0u) {
        return 0;
    }
    count(least);
    return 1;
}

/* The SVC and fault handlers and SysTick share priority 0 and never preempt each other; thread
 * and interrupt-handler code that settles the count holds interrupts off while it does, or
 * SysTick could take the same ticks twice (bento/primask.h). */
void bento_budget_enter(bento_box_t *box) {
    if (box->budget) {
        box->budget_left = box->budget;
        if (bento_budget_chain == 0 && irq_depth == 0u) {
            /* The common case, a call from the host: a chain of one, counted from now. */
            box->charge_next = 0;
            bento_budget_chain = box;
            count(box->budget);
            return;
        }
        settle(1);
        box->charge_next = bento_budget_chain;
        bento_budget_chain = box;
    } else {
        settle(1); /* no budget of its own: it runs on the chain's time */
    }
    if (!arm()) {
        /* The chain's time ran out in the boundary work before this call: stop the box as
         * soon as it starts. */
        SCB_ICSR = ICSR_PENDSTSET;
    }
}

void bento_budget_leave(bento_box_t *box) {
    if (bento_budget_chain == box && box->charge_next == 0) {
        /* The last of the chain: nothing left to charge what it used to. */
        halt();
        bento_budget_chain = 0;
        return;
    }
    settle(1);
    if (bento_budget_chain == box) {
        bento_budget_chain = box->charge_next;
        box->charge_next = 0;
    }
    arm();
}

int bento_budget_suspend(bento_box_t *box) {
    settle(1);
    if (least_left() == 0u) {
        return 0;
    }
    box->charge_saved = bento_budget_chain;
    bento_budget_chain = 0;
    return 1;
}

int bento_budget_resume(bento_box_t *box) {
    bento_budget_chain = box->charge_saved;
    box->charge_saved = 0;
    return arm();
}

int bento_budget_link_begin(bento_box_t *caller) {
    if (caller->charge_saved == 0) {
        return 1;
    }
    uint32_t held = bento_hold_interrupts();
    bento_budget_chain = caller->charge_saved;
    int in_time = arm();
    bento_release_interrupts(held);
    return in_time;
}

void bento_budget_link_end(bento_box_t *caller) {
    if (caller->charge_saved == 0) {
        return;
    }
    uint32_t held = bento_hold_interrupts();
    settle(1);
    bento_budget_chain = 0;
    bento_release_interrupts(held);
    /* A box's interrupt that waited for the chain's boundary work to end runs now. */
    if (bento_irq_waiting) {
        SCB_ICSR = ICSR_PENDSVSET;
    }
}

void bento_budget_irq_enter(void) {
    uint32_t held = bento_hold_interrupts();
    irq_depth++;
    settle(1); /* a tick begun is charged: a bound must not come out short */
    bento_release_interrupts(held);
}

void bento_budget_irq_exit(uint32_t exc_return) {
    uint32_t held = bento_hold_interrupts();
    if (--irq_depth != 0u || bento_budget_chain == 0 || arm()) {
        bento_release_interrupts(held);
        return;
    }
    /* The budget ran out while the handler ran (SysTick caught it before the count paused). */
    bento_box_t *running = bento_box_current ? bento_box_current : bento_box_direct;
    if (running && EXC_RETURN_TO_THREAD_PSP(exc_return)) {
        /* The handler interrupted the box itself: end it, as SysTick would have. */
        uint32_t *frame;
        __asm__ volatile("mrs %0, psp" : "=r"(frame));
        bento_budget_note(running, frame[6]);
        bento_release_interrupts(held);
        bento_box_expire();
    }
    /* It interrupted the host's boundary work for the chain (or another handler): SysTick looks
     * again every other tick until the box resumes, as after its own expiry. */
    count(2u);
    bento_release_interrupts(held);
}

void bento_budget_note(bento_box_t *box, uint32_t pc) {
    /* Its own budget, or one of the boxes that called it straight and are waiting for it. */
    int own = box->budget != 0u && box->budget_left == 0u;
    box->report.kind = own ? BENTO_REPORT_BUDGET : BENTO_REPORT_CALLER_BUDGET;
    box->report.pc = pc;
}

uint32_t bento_budget_late(void) {
    return late;
}

void bento_budget_tick(const uint32_t *frame, uint32_t exc_return) __attribute__((used));

void bento_budget_tick(const uint32_t *frame, uint32_t exc_return) {
    uint32_t current = SYST_CVR;
    uint32_t chunk = armed;
    halt();
    for (bento_box_t *b = bento_budget_chain; b; b = b->charge_next) {
        b->budget_left = b->budget_left > chunk ? b->budget_left - chunk : 0u;
    }
    if (arm()) {
        return; /* a budget longer than one chunk: count the next */
    }
    late = since_expiry(current);
    /* A box behind the SVC, or one entered straight whose code runs (box/direct.c). */
    bento_box_t *running = bento_box_current ? bento_box_current : bento_box_direct;
    if (running == 0 || !EXC_RETURN_TO_THREAD_PSP(exc_return)) {
        /* Not in a box: the host's boundary work for the chain, or a handler. The budget stays
         * used up, and SysTick looks again every other tick until whoever resumes the box ends
         * it (host_return, the link call, irq_exit), or, after a handler bento does not wrap
         * (the host's own PendSV, a vector table of its own), SysTick finds the box itself. */
        count(2u);
        return;
    }
    bento_budget_note(running, frame[6]);
    bento_box_expire();
}

/* The SysTick vector (startup.c). While a budget counts it is the budget's; otherwise the
 * program's own SysTick_Handler runs, as if this were not here. */
__attribute__((naked)) void bento_systick_vector(void) {
    __asm__ volatile("ldr r0, =bento_budget_chain\n\t"
                     "ldr r0, [r0]\n\t"
                     "cbnz r0, 1f\n\t"
                     "b SysTick_Handler\n"
                     "1:\n\t"
                     "mrs r0, psp\n\t"
                     "mov r1, lr\n\t"
                     "b bento_budget_tick\n\t"
                     ".ltorg");
}
