/* Device interrupts that boxes own (box.<name>.interrupts): a top half in the line's vector and a
 * bottom half that calls the box's handler export from Thread mode. Linked into images whose
 * recipe gives a box a line. See bento/irq.h.
 *
 * A box can only be entered from the host's Thread mode (an SVC from a handler is refused, see
 * bento_box_enterable), so the bottom half cannot run in the handler. PendSV, at the lowest
 * priority, is taken once no other handler runs; if it finds the host in Thread mode on the main
 * stack, it stacks a second exception frame below the host's and returns into that one: the host
 * thread then runs run_deferred() (like a signal handler), whose return goes through an SVC
 * (BENTO_SVC_IRQ_RESUME, box/svc.c) that drops the runner's frame and returns into the host's
 * own, with the host's registers. A box's handler runs as an ordinary call from the host: its
 * budget, fault policy and restart apply.
 *
 * The same injection preempts a box entered straight (runtime-c/box/direct.c) when more urgent
 * work waits (bento_preempt_wanted: a serverless request with an earlier deadline): the runner's
 * frame goes on the main stack below the host's frames, the box's own exception frame stays on
 * its stack (PSP), and the runner's SVC (BENTO_SVC_PREEMPT_RESUME) returns into the box. The
 * runner may call other boxes; none can be the interrupted one, which stays RUNNING. */
#include <stdint.h>

#include "bento/box.h"
#include "bento/irq.h"
#include "bento/primask.h"
#include "bento/scb.h"

#define ICSR_PENDSVSET (1u << 28)
#define XPSR_THUMB (1u << 24)
#define FRAME_WORDS 8u
/* The words the injection keeps between the host's frame and the runner's: its EXC_RETURN and
 * a pad word, so the runner's frame stays 8-byte aligned. */
#define SAVED_WORDS 2u
/* A preemption keeps four: the box's EXC_RETURN, PSP and record, and a pad word. */
#define PREEMPT_SAVED_WORDS 4u
#define ICSR_PENDSTSET (1u << 26)

/* Preemption (runtime-c/serverless): whether Thread-mode work more urgent than the straight box
 * running now waits, and that work. None by default. */
__attribute__((weak)) int bento_preempt_wanted(bento_box_t *box) {
    (void)box;
    return 0;
}
__attribute__((weak)) void bento_preempt_run(void) {}

/* Lines noted by a top half and not yet handled, one bit each. */
static volatile uint32_t noted[(BENTO_IRQ_VECTORS + 31) / 32];
/* The runner is on the host's stack now: a nested PendSV leaves the new lines to its loop. */
static volatile uint32_t running;

static inline int is_noted(uint32_t line) {
    return (noted[line >> 5] >> (line & 31u)) & 1u;
}

static int32_t index_of(uint32_t line) {
    for (uint32_t i = 0; i < bento_irq_deferred_count; i++) {
        if (bento_irq_deferred[i].line == line) {
            return (int32_t)i;
        }
    }
    return -1;
}

void bento_irq_defer(void) {
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    uint32_t line = (ipsr & 0x1ffu) - 16u;
    /* Masked first: a level-triggered device keeps asking until the box's handler answers it. */
    BENTO_NVIC_ICER(line) = 1u << (line & 31u);
    uint32_t held = bento_hold_interrupts(); /* a higher-priority top half may note a line meanwhile */
    noted[line >> 5] |= 1u << (line & 31u);
    bento_irq_waiting = 1u;
    bento_release_interrupts(held);
    int32_t i = index_of(line);
    if (i >= 0) {
        bento_irq_box_stats[i].raised++;
    }
    SCB_ICSR = ICSR_PENDSVSET;
}

const bento_irq_box_stats_t *bento_irq_box_stats_of(uint32_t n) {
    int32_t i = index_of(n);
    return i < 0 ? 0 : &bento_irq_box_stats[i];
}

/* Calls the handler of every noted line whose box can be entered now, until none is left. A
 * line whose box is on the call chain (the host interrupted inside a call to it) stays noted:
 * bento_irq_waiting makes the box's return pend PendSV again. Runs on the host's main stack, so
 * a host that runs its threads on PSP (an RTOS) gets its boxes' lines handled only when it is
 * back on the main stack. */
static void run_deferred(void) {
    for (;;) {
        int ran = 0;
        int blocked = 0;
        bento_irq_waiting = 0u; /* a word store: a top half after it sets it again */
        for (uint32_t i = 0; i < bento_irq_deferred_count; i++) {
            const bento_irq_deferred_t *d = &bento_irq_deferred[i];
            if (!is_noted(d->line)) {
                continue;
            }
            if (d->box->state == BENTO_BOX_RUNNING) {
                blocked = 1;
                continue;
            }
            uint32_t held = bento_hold_interrupts();
            noted[d->line >> 5] &= ~(1u << (d->line & 31u));
            bento_release_interrupts(held);
            int32_t code = d->call();
            bento_irq_box_stats_t *s = &bento_irq_box_stats[i];
            s->handled++;
            if (code < 0) {
                s->failed++;
                s->last_error = code;
            }
            /* A box held dead answers nothing more: its line stays masked, or a level-triggered
             * device would interrupt for ever. A restarting box gets the next one. A line the
             * host disabled meanwhile stays as the host left it. */
            uint32_t bit = 1u << (d->line & 31u);
            held = bento_hold_interrupts(); /* a handler's bento_irq_disable must not fall in between */
            if (d->box->state != BENTO_BOX_DEAD && !(bento_irq_off[d->line >> 5] & bit)) {
                BENTO_NVIC_ISER(d->line) = bit;
            }
            bento_release_interrupts(held);
            ran = 1;
        }
        if (ran) {
            continue; /* lines may have come meanwhile */
        }
        if (blocked) {
            bento_irq_waiting = 1u;
            return;
        }
        if (!bento_irq_waiting) {
            return;
        }
    }
}

static void runner(const uint32_t *saved) {
    (void)saved;
    run_deferred();
    running = 0u;
}

/* An exception frame below `saved` that starts run(saved) in Thread mode and returns to `back`,
 * which finds `saved` as its stack pointer. */
static uint32_t *runner_frame(uint32_t *saved, void (*run)(const uint32_t *), void (*back)(void)) {
    uint32_t *frame = saved - FRAME_WORDS;
    frame[0] = (uint32_t)saved;
    for (uint32_t i = 1; i < 5; i++) {
        frame[i] = 0u; /* r1-r3, r12 */
    }
    frame[5] = (uint32_t)back;
    frame[6] = (uint32_t)run & ~1u;
    frame[7] = XPSR_THUMB;
    return frame;
}

/* Where the runner returns: r0 = the saved words above the runner's frame (its SP on entry). */
__attribute__((naked)) static void runner_return(void) {
    __asm__ volatile("mov r0, sp\n\t"
                     "svc #5\n\t"
                     "b .");
}

/* The preemption runner, on the main stack on top of the straight box it interrupted, whose
 * budget does not count meanwhile: the box waits as if in a host call. A budget already used up
 * ends the box as soon as it resumes (SysTick, pended). */
static void preempt_runner(const uint32_t *saved) {
    bento_box_t *box = (bento_box_t *)saved[2];
    int charged = bento_budget_chain != 0;
    if (charged) {
        uint32_t held = bento_hold_interrupts();
        int in_time = bento_budget_suspend(box);
        bento_release_interrupts(held);
        if (!in_time) {
            SCB_ICSR = ICSR_PENDSTSET;
            return;
        }
    }
    bento_preempt_run();
    if (charged) {
        uint32_t held = bento_hold_interrupts();
        int in_time = bento_budget_resume(box);
        bento_release_interrupts(held);
        if (!in_time) {
            SCB_ICSR = ICSR_PENDSTSET;
        }
    }
}

__attribute__((naked)) static void preempt_return(void) {
    __asm__ volatile("mov r0, sp\n\t"
                     "svc #8\n\t"
                     "b .");
}

/* A frame that runs preempt_runner(saved) on the main stack, below the words that resume the box:
 * its EXC_RETURN, its PSP and its record. */
static uint32_t *preempt(uint32_t *msp, uint32_t exc_return, uint32_t psp) {
    uint32_t *saved = msp - PREEMPT_SAVED_WORDS;
    saved[0] = exc_return;
    saved[1] = psp;
    saved[2] = (uint32_t)bento_box_direct;
    saved[3] = 0u;
    bento_box_direct = 0; /* SysTick and the fault handlers must not take the runner for the box */
    return runner_frame(saved, preempt_runner, preempt_return);
}

uint32_t *bento_irq_inject(uint32_t *msp, uint32_t exc_return, uint32_t psp) __attribute__((used));

/* PendSV's decision: a frame for a runner below the host's (or below the straight box's host
 * frames, to preempt it), or NULL to return as it came. */
uint32_t *bento_irq_inject(uint32_t *msp, uint32_t exc_return, uint32_t psp) {
    /* A straight box's own code (Thread mode on PSP, EXC_RETURN 0xF?D), with work waiting that
     * must not wait for its return. */
    if ((exc_return & 0xfu) == 0xdu && bento_box_current == 0 && bento_box_direct != 0 && bento_preempt_wanted(bento_box_direct)) {
        return preempt(msp, exc_return, psp);
    }
    /* Only the host's Thread mode on the main stack (EXC_RETURN 0xF?9): a box (PSP) or another
     * handler (which PendSV, the lowest, never preempts) waits. Nor while a budget counts: the
     * host is doing a box-to-box call's boundary work, which is charged to that chain. */
    if ((exc_return & 0xfu) != 0x9u || bento_box_current != 0 || bento_budget_chain != 0 || running || !bento_irq_waiting) {
        return 0;
    }
    running = 1u;
    uint32_t *saved = msp - SAVED_WORDS;
    saved[0] = exc_return;
    saved[1] = 0u;
    return runner_frame(saved, runner, runner_return);
}

/* The PendSV vector. The injection's words go below the host's frame, where this handler's own
 * stack would be: it first moves below them, and never back above them while they are needed.
 * Returning into the runner's frame takes a basic frame (EXC_RETURN bit 4 set); the host's own EXC_RETURN, kept in the saved words, returns into
 * its frame, floating-point state and all. */
__attribute__((naked)) void PendSV_Handler(void) {
    __asm__ volatile("mrs r0, msp\n\t"
                     "mov r1, lr\n\t"
                     "mrs r2, psp\n\t"
                     "sub sp, sp, #48\n\t" /* PREEMPT_SAVED_WORDS + FRAME_WORDS, the most either keeps */
                     "push {r1, lr}\n\t"
                     "bl bento_irq_inject\n\t"
                     "pop {r1, lr}\n\t"
                     "cbz r0, 1f\n\t"
                     /* Straight to the runner's frame, never through a stack pointer above it: an
                      * interrupt taken in between would stack its frame over the runner's. */
                     "msr msp, r0\n\t"
                     "orr lr, lr, #0x10\n\t" /* a basic frame */
                     "bic lr, lr, #0x4\n\t" /* on the main stack: a preempted box was on PSP */
                     "bx lr\n"
                     "1:\n\t"
                     "add sp, sp, #48\n\t"
                     "bx lr");
}
