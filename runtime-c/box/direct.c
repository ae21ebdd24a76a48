/* Boxes entered straight (bento/box.h, "Straight entry"): a Wasm box with software bounds runs
 * in privileged Thread mode on its own stack (PSP, CONTROL.SPSEL = 1; every handler still runs
 * on the main stack), entered and left by a function call, with no SVC and no MPU switch. Its
 * code cannot leave its memory (every access and indirect call is checked by code bento
 * generated from a validated module), reads no register but its arguments, and checks its
 * stack pointer against a limit of its own on every function entry. A trap, a fault, a used-up
 * budget or a failed host call unwinds to where the host entered it: the callee-saved registers
 * (r4-r11, s16-s31) and the main stack pointer are saved there, on the main stack, and the
 * box's record remembers where (host_msp). */
#include <stdint.h>
#include <stddef.h>

#include "bento/box.h"
#include "bento/irq.h"
#include "bento/primask.h"
#include "bento/scb.h"

#define FPCCR BENTO_REG(0xE000EF34u)
#define FPCCR_LSPEN (1u << 30)
#define XPSR_THUMB (1u << 24)

bento_box_t *volatile bento_box_direct;
volatile uint32_t bento_preempt_waiting;

#if defined(__ARM_FP)
/* The host's FPSCR goes into the pushed r12's word: the box starts with CONTROL.FPCA clear, so
 * its first FP instruction gets the default FPSCR (FPDSCR), never the host's modes; and the
 * host's must come back after. */
#define SAVE_FP "vpush {s16-s31}\n\tvmrs r4, fpscr\n\tstr r4, [sp, #96]\n\t"
#define RESTORE_FP "ldr r3, [sp, #96]\n\tvmsr fpscr, r3\n\tvpop {s16-s31}\n\t"
#else
#define SAVE_FP ""
#define RESTORE_FP ""
#endif

/* r12 = the call {box, entry, sp, &bento_box_direct, &bento_irq_waiting}, r0-r3 = the words,
 * r4-r12 and lr pushed. Saves the FP
 * callee-saved registers, notes where (host_msp), switches to the box's stack on PSP, marks the
 * box running, does BEFORE_CALL and calls the entry; back on the main stack, r0:r1 is the result
 * and r2 0. */
#define ENTER_AND_RUN(BEFORE_CALL)         \
    SAVE_FP                                \
    "ldmia r12, {r4, r5, r6, r7, r8}\n\t"  \
    "str sp, [r4, %[host_msp]]\n\t"        \
    "msr psp, r6\n\t"                      \
    "movs r6, #2\n\t"                      \
    "msr control, r6\n\t"                  \
    "isb\n\t"                              \
    "str r4, [r7]\n\t"                     \
    BEFORE_CALL                            \
    "blx r5\n\t"                           \
    "movs r2, #0\n\t"                      \
    "str r2, [r7]\n\t"                     \
    "msr control, r2\n\t"                  \
    "isb\n\t"

/* A preemption asked for while the host ran the boundary work of a call (PendSV could not preempt
 * host code) is asked for again as the box starts, so it happens in the box (bento_preempt_waiting,
 * runtime-c/serverless). Only on the checked path; the plain fast call pays nothing for it. */
#define PREEMPT_IF_WAITING                         \
    "ldr r6, =bento_preempt_waiting\n\t"           \
    "ldr r6, [r6]\n\t"                             \
    "cbz r6, 1f\n\t"                               \
    "ldr r6, =0xe000ed04\n\t" /* ICSR.PENDSVSET */ \
    "mov r9, #0x10000000\n\t"                      \
    "str r9, [r6]\n"                                \
    "1:\n\t"

__attribute__((naked)) void bento_box_direct_core(void) {
    __asm__ volatile("push {r4-r12, lr}\n\t" ENTER_AND_RUN(PREEMPT_IF_WAITING) RESTORE_FP "pop {r4-r12, pc}\n\t"
                     ".ltorg"
                     :
                     : [host_msp] "i"(offsetof(bento_box_t, host_msp)));
}

/* The host's own calls of a ready box: refused (r2 = 1, nothing touched) where no box may be
 * entered (bento_box_enterable) or when the box is not ready; else as the core, with the box
 * RUNNING while it runs and READY after, and PendSV raised if a box's line waits. */
__attribute__((naked)) void bento_box_direct_fast_core(void) {
    __asm__ volatile("push {r4-r12, lr}\n\t"
                     "mrs r4, ipsr\n\t"
                     "mrs r5, primask\n\t"
                     "orrs r4, r5\n\t"
                     "mrs r5, faultmask\n\t"
                     "orrs r4, r5\n\t"
                     "mrs r5, control\n\t"
                     "orrs r4, r4, r5, lsl #30\n\t" /* SPSEL, nPRIV; not FPCA */
                     "bne 9f\n\t"
                     "ldr r4, [r12]\n\t"
                     "ldrb r5, [r4, %[state]]\n\t"
                     "cmp r5, %[ready]\n\t"
                     "bne 9f\n\t"
                     "movs r5, %[running]\n\t"
                     "strb r5, [r4, %[state]]\n\t" ENTER_AND_RUN("")
                     "movs r3, %[ready]\n\t"
                     "strb r3, [r4, %[state]]\n\t"
                     /* A box's line noted while this box ran waited for it to return (PendSV
                      * cannot run the lines' runner while a box runs): let it run now. */
                     "ldr r3, [r8]\n\t"
                     "cbnz r3, 8f\n\t" RESTORE_FP "pop {r4-r12, pc}\n"
                     "8:\n\t"
                     "ldr r3, =0xe000ed04\n\t"
                     "mov r4, #0x10000000\n\t"
                     "str r4, [r3]\n\t" RESTORE_FP "pop {r4-r12, pc}\n"
                     "9:\n\t"
                     "movs r2, #1\n\t"
                     "pop {r4-r12, pc}\n\t"
                     ".ltorg"
                     :
                     : [host_msp] "i"(offsetof(bento_box_t, host_msp)), [state] "i"(offsetof(bento_box_t, state)),
                       [ready] "i"(BENTO_BOX_READY), [running] "i"(BENTO_BOX_RUNNING));
}

/* Back to where the host entered `box` (r0), as if the core returned the code r1: from Thread
 * mode on the main stack. */
__attribute__((naked)) void bento_box_direct_resume(bento_box_t *box, int32_t code) {
    __asm__ volatile("ldr r2, [r0, %[host_msp]]\n\t"
                     "mov sp, r2\n\t"
                     "mov r2, r1\n\t" RESTORE_FP "pop {r4-r12, pc}\n\t"
                     :
                     : [host_msp] "i"(offsetof(bento_box_t, host_msp)));
}

/* Inside the box (a trap, __box_abort, proc_exit): leave its stack and unwind. */
__attribute__((naked)) void bento_box_direct_abort(int32_t code) {
    __asm__ volatile("ldr r1, =bento_box_direct\n\t"
                     "ldr r2, [r1]\n\t"
                     "movs r3, #0\n\t"
                     "str r3, [r1]\n\t"
                     "msr control, r3\n\t"
                     "isb\n\t"
                     "mov r1, r0\n\t"
                     "mov r0, r2\n\t"
                     "b bento_box_direct_resume\n\t"
                     ".ltorg");
}

/* From a handler that interrupted the box's Thread mode (a fault, SysTick, the interrupt
 * dispatcher), the only active exception: return into bento_box_direct_resume(box, code) on
 * the main stack, below the words saved there, abandoning the box's frame (its FP part too). */
void bento_box_direct_unwind_from_handler(bento_box_t *box, int32_t code) {
    bento_box_direct = 0;
    uint32_t *frame = (uint32_t *)(box->host_msp - 32u);
    register uint32_t *r0 __asm__("r0") = frame;
    register bento_box_t *r1 __asm__("r1") = box;
    register int32_t r2 __asm__("r2") = code;
    __asm__ volatile("str r1, [r0, #0]\n\t"
                     "str r2, [r0, #4]\n\t"
                     "ldr r3, =bento_box_direct_resume\n\t"
                     "str r3, [r0, #24]\n\t"
                     "mov r3, %[xpsr]\n\t"
                     "str r3, [r0, #28]\n\t"
                     "msr msp, r0\n\t"
                     "mvn lr, #6\n\t" /* EXC_RETURN 0xFFFFFFF9: Thread mode, main stack, no FP frame */
                     "bx lr\n\t"
                     ".ltorg"
                     :
                     : "r"(r0), "r"(r1), "r"(r2), [xpsr] "i"(XPSR_THUMB)
                     : "r3", "memory");
    __builtin_unreachable();
}

typedef uint64_t (*host_fn_t)(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
typedef uint64_t (*gate_fn_t)(uint32_t, uint32_t, uint32_t, uint32_t);

/* The gate's index in r12 also says whether its function takes arguments past r0-r3 (a WASI
 * function's fifth): bento/box.h, BENTO_BOX_DIRECT_GATE_STACKED. */
#define GATE_STACKED 0x100u

/* The host function's time is not the box's: stop charging its chain, or end the box if a budget
 * of the chain ran out just as it called. */
static __attribute__((noinline)) void suspend_budget(bento_box_t *box) {
    uint32_t held = bento_hold_interrupts();
    int in_time = bento_budget_suspend(box);
    bento_release_interrupts(held);
    if (!in_time) {
        uint32_t *psp;
        __asm__ volatile("mrs %0, psp" : "=r"(psp));
        bento_budget_note(box, psp[1]);
        bento_box_direct_resume(box, BENTO_E_BUDGET);
    }
}

/* After the host function: charge the chain again, and end the box if a budget ran out or the
 * host function asked for it (bento_box_abort_caller). */
static __attribute__((noinline)) void after_host_call(bento_box_t *box) {
    if (box->charge_saved) {
        uint32_t held = bento_hold_interrupts();
        int in_time = bento_budget_resume(box);
        bento_release_interrupts(held);
        if (!in_time && box->pending_abort >= 0) {
            uint32_t *psp;
            __asm__ volatile("mrs %0, psp" : "=r"(psp));
            bento_budget_note(box, psp[1]);
            box->pending_abort = BENTO_E_BUDGET;
        }
    }
    if (box->pending_abort < 0) {
        bento_box_direct_resume(box, box->pending_abort);
    }
}

/* Arguments past r0-r3 from the box's stack, above the gate's two words; past its top, zeros. */
static __attribute__((noinline)) uint64_t call_stacked(bento_box_t *box, host_fn_t fn, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3) {
    uint32_t *psp;
    __asm__ volatile("mrs %0, psp" : "=r"(psp));
    const uint32_t *args = psp + 2;
    uint32_t stacked[4] = {0, 0, 0, 0};
    for (uint32_t i = 0; i < 4 && (uintptr_t)(args + i + 1) <= box->stack_top; i++) {
        stacked[i] = args[i];
    }
    return fn(w0, w1, w2, w3, stacked[0], stacked[1], stacked[2], stacked[3]);
}

/* The host's side of a straight box's gate (bento_box_direct_gate): in privileged Thread mode on
 * the main stack, below where the host entered the box. Runs the gate's host function as the SVC
 * boundary does: not charged to the box's budget, the box on the chain of boxes waiting in a
 * host call (bento_box_caller), and ended afterwards if the host function asked for it. The
 * index comes from the box's glue, never from its compiled code. */
uint64_t bento_box_direct_host_call(uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3, bento_box_t *box, uint32_t index) __attribute__((used));
uint64_t bento_box_direct_host_call(uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3, bento_box_t *box, uint32_t index) {
    bento_box_direct = 0;
    if (bento_budget_chain) {
        suspend_budget(box);
    }
    if (bento_irq_waiting) {
        SCB_ICSR = 1u << 28; /* ICSR.PENDSVSET: the runner goes first, before the host function */
    }
    box->pending_abort = 0;
    box->suspended_next = bento_box_suspended;
    bento_box_suspended = box;
    const void *fn = box->gates[index & ~GATE_STACKED];
    uint64_t result = (index & GATE_STACKED) ? call_stacked(box, (host_fn_t)fn, w0, w1, w2, w3) : ((gate_fn_t)fn)(w0, w1, w2, w3);
    bento_box_suspended = box->suspended_next;
    if (box->charge_saved || box->pending_abort < 0) {
        after_host_call(box);
    }
    return result;
}

/* A straight box's gate (bento/box.h, BENTO_BOX_DIRECT_GATE): r0-r3 the words, r12 the gate's
 * index. Two words on the box's stack; the host function runs on the main stack. */
__attribute__((naked)) void bento_box_direct_gate(void) {
    __asm__ volatile("push {r4, lr}\n\t"
                     "ldr r4, =bento_box_direct\n\t"
                     "ldr r4, [r4]\n\t"
                     "mov lr, #0\n\t"
                     "msr control, lr\n\t"
                     "isb\n\t"
                     "mrs lr, psp\n\t" /* the box's stack pointer: a straight call the host makes moves PSP */
                     "sub sp, #8\n\t"
                     "push {r4, r12}\n\t"
                     "str lr, [sp, #8]\n\t"
                     "bl bento_box_direct_host_call\n\t"
                     "ldr r2, [sp, #8]\n\t"
                     "add sp, #16\n\t"
                     "msr psp, r2\n\t"
                     "movs r2, #2\n\t"
                     "msr control, r2\n\t"
                     "isb\n\t"
                     "ldr r2, =bento_box_direct\n\t"
                     "str r4, [r2]\n\t"
                     "pop {r4, pc}\n\t"
                     ".ltorg");
}

int32_t bento_box_direct_run(bento_box_t *box, void (*entry)(void), const uint32_t words[4], uintptr_t sp, uint64_t *result) {
    /* Eager FP stacking, as for boxes behind the SVC: a frame abandoned by an unwind leaves no
     * lazy save pending. */
#if defined(__ARM_FP)
    FPCCR &= ~FPCCR_LSPEN;
#endif
    if (box->budget || bento_budget_chain) {
        uint32_t held = bento_hold_interrupts();
        bento_budget_enter(box);
        bento_release_interrupts(held);
    }
    const bento_direct_call_t call = {box, entry, sp & ~(uintptr_t)7u, &bento_box_direct, &bento_irq_waiting};
    static const uint32_t none[4] = {0, 0, 0, 0};
    if (!words) {
        words = none;
    }
    int32_t code = bento_box_direct_enter(&call, words[0], words[1], words[2], words[3], result);
    if (bento_budget_chain) {
        uint32_t held = bento_hold_interrupts();
        bento_budget_leave(box);
        bento_release_interrupts(held);
    }
    return code;
}
