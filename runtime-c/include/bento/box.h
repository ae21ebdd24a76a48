/* Unprivileged boxes on ARMv7-M: a box runs in Thread mode, unprivileged, on its own stack
 * (PSP), and can touch only the memory its MPU regions grant. Crossing the boundary takes an
 * SVC: the host enters a box with bento_box_call, the box comes back by returning (through a
 * trampoline), reaches host functions through gates, and is aborted by a trap or a fault. The
 * host's callee-saved registers and stack are restored on every way back.
 *
 * A gate runs its host function in privileged Thread mode (not in the SVC handler), so the
 * host function may itself call into another box: box-to-box calls nest through the host. */
#ifndef BENTO_BOX_H
#define BENTO_BOX_H

#include <stdint.h>

#include "bento/errors.h"

/* runtime-c/irq: a line a box owns was noted and waits for its runner (bento/irq.h). */
extern volatile uint32_t bento_irq_waiting;

/* SVC numbers (the immediate of the svc instruction). */
#define BENTO_SVC_ENTER 0
#define BENTO_SVC_RETURN 1
#define BENTO_SVC_HOSTCALL 2
#define BENTO_SVC_ABORT 3
#define BENTO_SVC_HOSTRETURN 4
/* The deferred-interrupt runner is done (runtime-c/irq/deferred.c): back into the host context
 * PendSV interrupted. */
#define BENTO_SVC_IRQ_RESUME 5
/* A native box's C library (runtime-c/box-libc): abort with a code and a line of text in the
 * box's own memory (r0 code, r1 text, r2 length), printed with the abort line; and write r1
 * bytes at r0 of its memory to the console (the `printf` service, run like a gate call). */
#define BENTO_SVC_ABORT_TEXT 6
#define BENTO_SVC_CONSOLE 7
/* A preemption runner is done (runtime-c/irq/deferred.c): back into the box entered straight
 * that PendSV interrupted. */
#define BENTO_SVC_PREEMPT_RESUME 8


/* What a box does after an abort. ALWAYS_RESTART, without a limit, is a serverless function's:
 * each request is independent of the last. */
enum bento_box_policy { BENTO_BOX_RESTART = 0, BENTO_BOX_HOLD = 1, BENTO_BOX_PANIC = 2, BENTO_BOX_ALWAYS_RESTART = 3 };

/* Life of a box: UNINIT boxes are initialised on their next call. */
enum bento_box_state { BENTO_BOX_UNINIT = 0, BENTO_BOX_READY = 1, BENTO_BOX_RUNNING = 2, BENTO_BOX_DEAD = 3 };

/* An MPU region the box may read and write (never execute) while it runs. */
typedef struct bento_box_region {
    uint32_t base;
    uint32_t size; /* bytes: a power of two aligned to itself on PMSAv7, a multiple of 32 on PMSAv8 */
} bento_box_region_t;

typedef struct bento_box bento_box_t;

/* Why a box was aborted, noted where it happened (a fault handler, SysTick, the SVC handler)
 * and printed later from Thread mode, with the abort line: nothing is printed with interrupts
 * held off. */
enum bento_report_kind {
    BENTO_REPORT_NONE = 0,
    BENTO_REPORT_BUDGET,       /* pc: where its CPU budget ran out */
    BENTO_REPORT_STACK,        /* its stack overflowed */
    BENTO_REPORT_MEMORY,       /* pc, address: a memory fault */
    BENTO_REPORT_FAULT,        /* pc, cfsr: another processor fault */
    BENTO_REPORT_CALLER_BUDGET, /* pc: stopped because a budget of the boxes that called it
                                 * straight ran out, not its own: not its fault */
    BENTO_REPORT_TEXT,          /* address, length: a line the box wrote in its own memory as it
                                 * aborted (an assert), checked to lie in its regions */
};

typedef struct bento_box_report {
    uint8_t kind;
    uint32_t pc;
    uint32_t address;
    uint32_t cfsr;
    uint32_t length;
} bento_box_report_t;

struct bento_box {
    const char *name;
    uintptr_t stack_bottom;
    uintptr_t stack_top; /* initial PSP, 8-byte aligned */
    const bento_box_region_t *regions;
    uint32_t region_count;
    /* Host functions the box may call: a gate passes an index into this table, so a box can
     * reach nothing else with privilege. Each takes up to eight argument words. */
    const void *const *gates;
    uint32_t gate_count;
    /* Resets the box's memory and runs its start-up code; < 0 when that aborted. */
    int32_t (*init)(bento_box_t *box);
    uint8_t policy;
    uint8_t restart_limit;
    /* Entered straight (runtime-c/box/direct.c), not through the SVC: a Wasm box with software
     * bounds (src/plan/entry.ts). */
    uint8_t direct;
    /* CPU budget of one call into the box, in ticks of SysTick on the core clock (0: none). */
    uint32_t budget;

    /* Run-time state. */
    volatile uint8_t state;
    uint32_t faults;
    int32_t last_error;
    uint64_t result; /* r0:r1 of the last return */

    /* The host context saved on entry: MSP at the SVC, its EXC_RETURN, r4-r11. A box entered
     * straight: the main stack pointer below the host's saved registers. */
    uint32_t host_msp;
    uint32_t host_exc_return;
    uint32_t host_regs[8];
    /* While the box waits in a host call: its exception frame and EXC_RETURN. */
    uint32_t *call_frame;
    uint32_t call_exc_return;
    int32_t pending_abort;
    bento_box_t *suspended_next;
    /* Ticks left of its budget in the call running now (box/budget.c). */
    uint32_t budget_left;
    /* The next box outward of the budget chain being charged, and, while the box waits in a
     * host call, the chain that was charged when it made it. */
    bento_box_t *charge_next;
    bento_box_t *charge_saved;
    bento_box_report_t report;
    /* Bytes of its caller's buffers copied onto its stack for the call running now: a stack
     * overflow then is the caller's doing (box/link.c). */
    uint32_t pushed;
    /* While the box waits in a host call: the host function its gate names, looked up once. */
    const void *call_fn;
};

/* The box running now behind the SVC boundary (unprivileged), or NULL. */
extern bento_box_t *volatile bento_box_current;

/* Boxes waiting in a host call (through a gate), innermost first. */
extern bento_box_t *bento_box_suspended;

/* Straight entry (runtime-c/box/direct.c). A Wasm box with software bounds runs privileged in
 * Thread mode on its own stack (PSP; handlers keep the main stack), entered by a function call:
 * no SVC, no MPU switch, no registers zeroed (its code reads nothing but its arguments). */

/* The straight box whose code runs now (on PSP), or NULL: never set while it waits in a host
 * call or while the host does boundary work. */
extern bento_box_t *volatile bento_box_direct;

/* A preemption of the straight box running now was asked for (runtime-c/serverless): a checked
 * call pends PendSV again as its box starts, for one asked for while the host did its boundary
 * work, where PendSV cannot preempt. */
extern volatile uint32_t bento_preempt_waiting;

typedef struct bento_direct_call {
    bento_box_t *box;
    void (*entry)(void);
    uintptr_t sp; /* its stack pointer at the call, 8-byte aligned */
    /* &bento_box_direct and &bento_irq_waiting: one LDM loads what the entry needs. */
    bento_box_t *volatile *direct;
    volatile uint32_t *irq_waiting;
} bento_direct_call_t;

/* A call's record, for the glue: BENTO_DIRECT_CALL(&bento_box_b, entry, stack top). */
#define BENTO_DIRECT_CALL(box, entry, sp) {(box), (void (*)(void))(entry), (uintptr_t)(sp), &bento_box_direct, &bento_irq_waiting}

#if defined(__ARM_FP)
#define BENTO_DIRECT_FP_CLOBBERS , "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "s12", "s13", "s14", "s15"
#else
#define BENTO_DIRECT_FP_CLOBBERS
#endif

/* The body of the two entries below: w0..w3 in r0-r3 and the call's record in r12 to `core`,
 * which gives the result in r0:r1 and the code in r2. */
#define BENTO_DIRECT_BL(core)                                                                   \
    register uint32_t r0 __asm__("r0") = w0;                                                    \
    register uint32_t r1 __asm__("r1") = w1;                                                    \
    register uint32_t r2 __asm__("r2") = w2;                                                    \
    register uint32_t r3 __asm__("r3") = w3;                                                    \
    register const bento_direct_call_t *r12 __asm__("r12") = call;                              \
    __asm__ volatile("bl " core : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r12) :           \
                     : "lr", "memory", "cc" BENTO_DIRECT_FP_CLOBBERS);                          \
    *result = (uint64_t)r0 | ((uint64_t)r1 << 32);                                              \
    return (int32_t)r2

/* Runs entry(w0..w3) on the box's stack; 0 and the result, or the negative code of an unwind
 * (trap, fault, budget, failed host call). The caller checked context and state. */
static inline __attribute__((always_inline)) int32_t bento_box_direct_enter(const bento_direct_call_t *call, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3, uint64_t *result) {
    BENTO_DIRECT_BL("bento_box_direct_core");
}

/* The host's call of a box it may enter straight with at most four words, nothing to check or
 * copy: 0 and the result; 1 when it was not entered (a context no box may be entered from, or a
 * box not ready: take the checked call, bento_link_call, which says why); or the negative code
 * of an unwind (then bento_link_direct_failed). */
static inline __attribute__((always_inline)) int32_t bento_box_direct_fast(const bento_direct_call_t *call, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3, uint64_t *result) {
    BENTO_DIRECT_BL("bento_box_direct_fast_core");
}

/* bento_box_direct_fast for a call of one word: r1-r3 carry nothing in (the box's code reads only
 * its arguments), so nothing need be set in them. Not entered (1), the result's low word is w0. */
static inline __attribute__((always_inline)) int32_t bento_box_direct_fast1(const bento_direct_call_t *call, uint32_t w0, uint64_t *result) {
    register uint32_t r0 __asm__("r0") = w0;
    register uint32_t r1 __asm__("r1");
    register uint32_t r2 __asm__("r2");
    register const bento_direct_call_t *r12 __asm__("r12") = call;
    __asm__ volatile("bl bento_box_direct_fast_core"
                     : "+r"(r0), "=r"(r1), "=r"(r2), "+r"(r12)
                     :
                     : "r3", "lr", "memory", "cc" BENTO_DIRECT_FP_CLOBBERS);
    *result = (uint64_t)r0 | ((uint64_t)r1 << 32);
    return (int32_t)r2;
}

/* bento_box_direct_enter with the budget chain charged as the SVC boundary charges it. */
int32_t bento_box_direct_run(bento_box_t *box, void (*entry)(void), const uint32_t words[4], uintptr_t sp, uint64_t *result);

/* A straight call ended with `code` < 0 outside bento_box_run: count it and apply the box's
 * policy as bento_box_run does. Returns the code the caller gets. */
int32_t bento_box_direct_ended(bento_box_t *box, int32_t code);

/* Inside a straight box: unwind to where the host entered it with `code`. */
void bento_box_direct_abort(int32_t code) __attribute__((noreturn));
/* On the main stack in Thread mode (the box's host call): the same. */
void bento_box_direct_resume(bento_box_t *box, int32_t code) __attribute__((noreturn));
/* From a handler that interrupted the straight box's Thread mode: the same. */
void bento_box_direct_unwind_from_handler(bento_box_t *box, int32_t code) __attribute__((noreturn));

/* The gate of a straight box: the words in r0-r3, the gate's index in r12; a function call. */
#define BENTO_BOX_DIRECT_GATE(index) __asm__ volatile("mov r12, #" #index "\n\tb bento_box_direct_gate")
/* The same for a function that takes arguments past r0-r3 on the box's stack (WASI's). */
#define BENTO_BOX_DIRECT_GATE_STACKED(index) __asm__ volatile("mov r12, #(0x100 + " #index ")\n\tb bento_box_direct_gate")

/* Writes an exception frame that starts entry(words[0..3]) below `sp` on the box's stack and
 * returns it, for bento_box_call. */
uint32_t *bento_box_frame(uintptr_t sp, void (*entry)(void), const uint32_t words[4]);

/* Runs the frame `psp` inside the box (unprivileged, on its stack, its MPU regions on).
 * Returns 0 when the function returned (its r0:r1 in box->result), or the negative code of
 * the abort. The low level under bento_box_run: callers check bento_box_enterable() first. */
int32_t bento_box_call(bento_box_t *box, uint32_t *psp);

/* 0 where SVC cannot enter a box: in an interrupt handler (it would be taken as a nested
 * exception, or escalate to HardFault at priority 0), with PRIMASK or FAULTMASK set (HardFault),
 * on PSP (an RTOS task: the host's context is not where the SVC handler keeps it) or
 * unprivileged. Checked before anything of the call touches the callee's memory; the call gets
 * BENTO_E_CONTEXT. */
static inline int bento_box_enterable(void) {
    uint32_t ipsr, primask, faultmask, control;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    __asm__ volatile("mrs %0, primask" : "=r"(primask));
    __asm__ volatile("mrs %0, faultmask" : "=r"(faultmask));
    __asm__ volatile("mrs %0, control" : "=r"(control));
    return ((ipsr & 0x1ffu) | primask | faultmask | (control & 3u)) == 0;
}

/* Counts a failure of the box that it did not abort for (a noreturn function that returned)
 * and applies its fault policy, like an abort. Returns `code`. */
int32_t bento_box_fail(bento_box_t *box, int32_t code);

/* A code a box's own __box_abort may report: -32 and below; bento's own range becomes
 * BENTO_E_ABORTED, so a code there always means what bento/errors.h says. */
static inline int32_t bento_box_own_code(int32_t code) {
    return code <= BENTO_E_OWN_MAX ? code : BENTO_E_ABORTED;
}

/* Makes a box ready for a call: fails with BENTO_E_DEAD or BENTO_E_BUSY, and initialises a
 * box that is new or due for a restart. */
int32_t bento_box_prepare(bento_box_t *box);

/* Calls entry(words) in a prepared box with its stack starting at `sp` (below any buffers
 * copied onto it). Applies the box's fault policy on an abort and returns its code. */
int32_t bento_box_run(bento_box_t *box, void (*entry)(void), const uint32_t words[4], uintptr_t sp, uint64_t *result);

/* Inside a box: ends it with `code` (negative) through an SVC. */
void bento_box_abort(int32_t code) __attribute__((noreturn));

/* In a host function serving a box's gate: abort that box with `code` once the host function
 * returns (a failed call whose signature cannot carry an error). */
void bento_box_abort_caller(int32_t code);

/* The box whose gate the running host function serves, or NULL. */
bento_box_t *bento_box_caller(void);

/* 1 when [start, start + length) lies inside one of the box's MPU regions (its memory). */
int bento_box_owns(const bento_box_t *box, uintptr_t start, uint32_t length);

/* The SVC handler, for BENTO_SVC_ABORT_TEXT: notes the box's text for its abort report when it
 * lies in the box's memory, and returns the code the abort ends the call with. */
int32_t bento_box_abort_text(bento_box_t *box, int32_t code, uintptr_t text, uint32_t length);

/* The host function of BENTO_SVC_CONSOLE: writes `length` bytes at `text` in the calling box's
 * memory to the console, for a box given the `printf` service; BENTO_E_RANGE (nothing written)
 * when they are not the box's, BENTO_E_ABORTED when the box has no such service. 64 bits, as a
 * host call returns r0:r1: nothing of the host's is left in the box's r1. */
int64_t bento_box_console_write(uint32_t text, uint32_t length);

/* The boxes given the `printf` service (generated from the recipe's `libc` keys, NULL-ended;
 * absent from images without a recipe: runtime-c/box/console.c takes it as empty). */
extern bento_box_t *const bento_box_console_boxes[];

/* For the host: a box's state, how often it aborted, and its last error. */
static inline enum bento_box_state bento_box_state(const bento_box_t *box) { return (enum bento_box_state)box->state; }
static inline uint32_t bento_box_faults(const bento_box_t *box) { return box->faults; }
static inline int32_t bento_box_last_error(const bento_box_t *box) { return box->last_error; }

/* A state's name ("uninit", "ready", "running", "dead"), for messages. */
const char *bento_box_state_name(enum bento_box_state state);

/* What an error code means, for messages. */
const char *bento_box_error_name(int32_t code);

/* 1 when the caller runs unprivileged in Thread mode (inside a box). */
static inline int bento_box_unprivileged(void) {
    uint32_t control, ipsr;
    __asm__ volatile("mrs %0, control" : "=r"(control));
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    return (control & 1u) && (ipsr & 0x1ffu) == 0;
}

/* The body of a host call gate (a naked function): r12 = index into the box's gate table, then
 * SVC. The host function runs privileged with the box's r0-r3 and up to four stacked argument
 * words; its r0/r1 come back to the box. */
#define BENTO_BOX_GATE(index) __asm__ volatile("mov r12, #" #index "\n\tsvc #2\n\tbx lr")

/* Called (privileged) when a box faults; the image decides what happens. Returning aborts the
 * box with the code returned. */
int32_t bento_box_fault(bento_box_t *box, uint32_t fault_kind, const uint32_t *frame);

/* CPU budgets (box/budget.c). SysTick counts the budgets of the boxes charged now: a box with
 * a budget from its entry until it leaves, together with the boxes it calls straight (box to
 * box) and the boundary work of those calls; never the host functions it calls through its
 * gates, nor host interrupt handlers. When a budget runs out, the box running is aborted with
 * BENTO_E_BUDGET. While no budget counts, SysTick is the program's own (SysTick_Handler). */
extern bento_box_t *volatile bento_budget_chain;
/* The SVC handler: a box with a budget is entered / any box leaves while a chain counts. */
void bento_budget_enter(bento_box_t *box);
void bento_budget_leave(bento_box_t *box);
/* A gate: stops charging the chain while the host function runs; 0 when a budget of the chain
 * is used up (the box is then ended instead). */
int bento_budget_suspend(bento_box_t *box);
/* The host function returned: charge the chain again; 0 when a budget of it is used up. */
int bento_budget_resume(bento_box_t *box);
/* The checked call of a box calling another box straight: its boundary work and the callee's
 * time are charged to the caller's chain. 0 when a budget of it is used up already. */
int bento_budget_link_begin(bento_box_t *caller);
void bento_budget_link_end(bento_box_t *caller);
/* Around every host interrupt handler (runtime-c/irq): the count waits while one runs, and
 * irq_exit ends the interrupted box (does not return) if its budget ran out meanwhile. */
void bento_budget_irq_enter(void);
void bento_budget_irq_exit(uint32_t exc_return);
/* Notes where a box's budget ran out, for the abort report. */
void bento_budget_note(bento_box_t *box, uint32_t pc);

/* For the host: how many core clock ticks the last box stopped by its budget ran past it
 * (the latency of stopping it; the abort and its report come after). */
uint32_t bento_budget_late(void);

/* The SysTick handler, when the running box has used up its budget: aborts it with
 * BENTO_E_BUDGET and switches to the host. */
void bento_box_expire(void) __attribute__((noreturn));

/* Fault handlers call this for a fault taken while a box ran (Thread mode, PSP): it asks
 * bento_box_fault and unwinds to the host. Returns only if no box was running. */
void bento_box_fault_unwind(uint32_t fault_kind, const uint32_t *frame);

#endif
