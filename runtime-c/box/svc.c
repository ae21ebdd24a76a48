/* The box boundary: one SVC handler that enters a box, takes it back out (by return, abort or
 * fault) and runs host calls for it. See bento/box.h. */
#include <stdint.h>
#include <string.h>

#include "bento/box.h"
#include "bento/irq.h"
#include "bento/mpu.h"
#include "bento/scb.h"
#include "bento/wasm.h"

/* r4-r11 as one value: assigning it compiles to LDM/STM, where memcpy would be a library call
 * on the path of every box call. */
typedef struct callee_saved {
    uint32_t r[8];
} callee_saved_t;

#define CALLEE_SAVED(p) (*(callee_saved_t *)(p))

/* Where the SVC exit path resumes when it switches context: MSP, EXC_RETURN, r4-r11. */
typedef struct switch_record {
    uint32_t msp;
    uint32_t exc_return;
    uint32_t regs[8];
} switch_record_t;

#define EXC_RETURN_THREAD_MSP 0xFFFFFFF9u
#define EXC_RETURN_THREAD_PSP 0xFFFFFFFDu
#define EXC_RETURN_THREAD_PSP_FP 0xFFFFFFEDu
#define FRAME_WORDS 8u
#define FRAME_WORDS_FP 26u
/* A box always runs with its FP context active (CONTROL.FPCA = 1): it is entered through an
 * extended frame, and nothing it can do clears FPCA (an unprivileged MSR to CONTROL is
 * ignored). So every exception taken while it runs, a host interrupt included, stacks S0-S15
 * and FPSCR on the box's stack and restores them on return: whatever a handler leaves in those
 * registers never reaches the box. */
#if defined(__ARM_FP)
#define BOX_FRAME_WORDS FRAME_WORDS_FP
#define BOX_EXC_RETURN EXC_RETURN_THREAD_PSP_FP
#else
#define BOX_FRAME_WORDS FRAME_WORDS
#define BOX_EXC_RETURN EXC_RETURN_THREAD_PSP
#endif
#define XPSR_THUMB (1u << 24)
#define ICSR_PENDSVSET (1u << 28)
#define XPSR_STACK_ALIGNED (1u << 9)
#define FPCCR BENTO_REG(0xE000EF34u)
#define FPCCR_LSPEN (1u << 30)
/* The host owns MPU regions 0 and 1 (runtime-c/mpu/host_protect.c); a running box the rest. */
#define FIRST_BOX_REGION 2u
#define BOX_REGION_ATTRIBUTES (BENTO_MPU_RW | BENTO_MPU_XN | BENTO_MPU_NORMAL)

bento_box_t *volatile bento_box_current;
/* Boxes waiting in a host call, innermost first. */
bento_box_t *bento_box_suspended;
#define suspended bento_box_suspended
static switch_record_t resume;

/* Zero FPSCR and the FP registers a box could read: it sees nothing of the host's floats. On a
 * core with MVE (Armv8.1-M), FPSCR also holds LTPSIZE (bits 18:16), whose reset and "no tail
 * predication" value is 4: a 0 there makes every later low-overhead loop end (LE) fault with
 * INVSTATE (seen on the M55), so it is set back to 4, not 0. */
#if defined(__ARM_FEATURE_MVE)
#define FPSCR_CLEAN "mov r2, #0x40000\n\tvmsr fpscr, r2\n\tmov r2, #0\n\tvmsr p0, r2\n\t" /* and VPR's predicates */
#else
#define FPSCR_CLEAN "mov r2, #0\n\tvmsr fpscr, r2\n\t"
#endif
#define ZERO_FP_LOW FPSCR_CLEAN "vmov d0, r2, r2\n\tvmov d1, r2, r2\n\tvmov d2, r2, r2\n\tvmov d3, r2, r2\n\t" \
                    "vmov d4, r2, r2\n\tvmov d5, r2, r2\n\tvmov d6, r2, r2\n\tvmov d7, r2, r2\n\t"
#define ZERO_FP_HIGH "vmov d8, r2, r2\n\tvmov d9, r2, r2\n\tvmov d10, r2, r2\n\tvmov d11, r2, r2\n\t" \
                     "vmov d12, r2, r2\n\tvmov d13, r2, r2\n\tvmov d14, r2, r2\n\tvmov d15, r2, r2\n\t"

extern void bento_box_trampoline(void);
extern void bento_box_host_trampoline(void);

static void set_unprivileged(int on) {
    uint32_t control;
    __asm__ volatile("mrs %0, control" : "=r"(control));
    control = on ? (control | 1u) : (control & ~1u);
    __asm__ volatile("msr control, %0\n\tisb" : : "r"(control) : "memory");
}

/* The box whose regions the MPU holds: calling the same box again needs no reload. */
static const bento_box_t *loaded;

/* Gives the MPU the regions of the box about to run, and takes away the previous box's. */
static void load_regions(const bento_box_t *box) {
    if (box == loaded) {
        return;
    }
    loaded = box;
    uint32_t count = bento_mpu_region_count();
    for (uint32_t i = 0; FIRST_BOX_REGION + i < count; i++) {
        if (i < box->region_count) {
            (void)bento_mpu_set_region(FIRST_BOX_REGION + i, box->regions[i].base, box->regions[i].size, BOX_REGION_ATTRIBUTES);
        } else {
            bento_mpu_clear_region(FIRST_BOX_REGION + i);
        }
    }
    bento_barrier();
}

/* Switch into `box` at the exception frame `psp`. */
static switch_record_t *switch_to_box(bento_box_t *box, uint32_t *psp, uint32_t exc_return, const uint32_t *regs) {
    load_regions(box);
    __asm__ volatile("msr psp, %0" : : "r"(psp));
    set_unprivileged(1);
    bento_box_current = box;
    resume.msp = box->host_msp;
    resume.exc_return = exc_return;
    if (regs) {
        CALLEE_SAVED(resume.regs) = CALLEE_SAVED(regs);
    } else {
        CALLEE_SAVED(resume.regs) = (callee_saved_t){{0}};
    }
    return &resume;
}

static switch_record_t *enter(uint32_t *frame, const uint32_t *regs, uint32_t exc_return) {
    bento_box_t *box = (bento_box_t *)frame[0];
    uint32_t *psp = (uint32_t *)frame[1];
    box->host_msp = (uint32_t)frame;
    box->host_exc_return = exc_return;
    CALLEE_SAVED(box->host_regs) = CALLEE_SAVED(regs);
    /* The box starts with zeroed callee-saved registers: nothing of the host leaks in. */
    switch_record_t *to = switch_to_box(box, psp, BOX_EXC_RETURN, 0);
    /* Last, so that nothing is live across it: a box without a budget pays two loads and
     * branches. One without a budget joins the time of a chain that calls it straight. */
    if (box->budget || bento_budget_chain) {
        bento_budget_enter(box);
    }
    return to;
}

/* Back to the host's bento_box_call, which returns `code`. */
static switch_record_t *leave(int32_t code) {
    bento_box_t *box = bento_box_current;
    bento_box_current = 0;
    set_unprivileged(0);
    uint32_t *host_frame = (uint32_t *)box->host_msp;
    host_frame[0] = (uint32_t)code;
    resume.msp = box->host_msp;
    resume.exc_return = box->host_exc_return;
    CALLEE_SAVED(resume.regs) = CALLEE_SAVED(box->host_regs);
    if (bento_budget_chain) {
        bento_budget_leave(box);
    }
    return &resume;
}

/* A gate: suspend the box and run its host function in privileged Thread mode, on the main
 * stack below everything live, with a frame that starts run_host_call(box). */
static bento_box_t *run_host_call(bento_box_t *box) __attribute__((used));

/* Inlined: a gate call costs what it did before the console service shared this path. */
static inline __attribute__((always_inline)) switch_record_t *run_on_host(bento_box_t *box, const void *fn, uint32_t *frame, const uint32_t *regs, uint32_t exc_return);

static switch_record_t *host_call(uint32_t *frame, const uint32_t *regs, uint32_t exc_return) {
    bento_box_t *box = bento_box_current;
    if (frame[4] >= box->gate_count) {
        frame[0] = (uint32_t)BENTO_E_ABORTED; /* not a gate this box owns */
        return 0;
    }
    /* Looked up once: the frame is in the box's memory, read again only for argument values. */
    return run_on_host(box, box->gates[frame[4]], frame, regs, exc_return);
}

/* Suspends the box and runs `fn` (a gate's host function, or one of bento's own services) with
 * its arguments, as described above. */
static inline __attribute__((always_inline)) switch_record_t *run_on_host(bento_box_t *box, const void *fn, uint32_t *frame, const uint32_t *regs, uint32_t exc_return) {
    /* The host function's time is not the box's. A budget that ran out just as the box raised
     * the SVC ends the box here, before the host function runs. */
    if (bento_budget_chain && !bento_budget_suspend(box)) {
        bento_budget_note(box, frame[6]);
        return leave(BENTO_E_BUDGET);
    }
    if (bento_irq_waiting) {
        SCB_ICSR = ICSR_PENDSVSET; /* the runner goes first, before the host function */
    }
    box->call_frame = frame;
    box->call_exc_return = exc_return;
    box->call_fn = fn;
    box->pending_abort = 0;
    box->suspended_next = suspended;
    suspended = box;
    bento_box_current = 0;
    set_unprivileged(0);

    uint32_t msp;
    __asm__ volatile("mrs %0, msp" : "=r"(msp));
    uint32_t *thread = (uint32_t *)(((msp - 64u) & ~7u) - FRAME_WORDS * 4u);
    for (uint32_t i = 1; i < 5; i++) {
        thread[i] = 0;
    }
    thread[0] = (uint32_t)box;
    thread[5] = (uint32_t)bento_box_host_trampoline;
    thread[6] = (uint32_t)run_host_call & ~1u;
    thread[7] = XPSR_THUMB;
    resume.msp = (uint32_t)thread;
    resume.exc_return = EXC_RETURN_THREAD_MSP;
    CALLEE_SAVED(resume.regs) = CALLEE_SAVED(regs);
    return &resume;
}

typedef uint64_t (*host_fn_t)(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);

static bento_box_t *run_host_call(bento_box_t *box) {
    uint32_t *frame = box->call_frame;
    /* Stacked arguments sit above the exception frame (and its alignment word, if any). */
    uint32_t words = (box->call_exc_return & 0x10u) ? FRAME_WORDS : FRAME_WORDS_FP;
    const uint32_t *args = frame + words + ((frame[7] & XPSR_STACK_ALIGNED) ? 1u : 0u);
    /* Stacked arguments only from the box's own stack: past its top, read zeros instead of
     * whatever lies beyond (or a bus error in privileged code). */
    uint32_t stacked[4] = {0, 0, 0, 0};
    for (uint32_t i = 0; i < 4 && (uintptr_t)(args + i + 1) <= box->stack_top; i++) {
        stacked[i] = args[i];
    }
    host_fn_t fn = (host_fn_t)box->call_fn;
    uint64_t result = fn(frame[0], frame[1], frame[2], frame[3], stacked[0], stacked[1], stacked[2], stacked[3]);
    frame[0] = (uint32_t)result;
    frame[1] = (uint32_t)(result >> 32);
    return box;
}

/* The host function is done: resume the innermost suspended box (r4-r11 are its own again:
 * the host function preserved them), or abort it if the host function asked for that. */
static switch_record_t *host_return(const uint32_t *regs) {
    bento_box_t *box = suspended;
    suspended = box->suspended_next;
    /* Charge the chain again first, on every way out: it was the chain of this call. */
    int in_time = box->charge_saved == 0 || bento_budget_resume(box);
    if (box->pending_abort < 0 || !in_time) {
        bento_box_current = box;
        if (box->pending_abort >= 0) {
            bento_budget_note(box, box->call_frame[6]);
        }
        return leave(box->pending_abort < 0 ? box->pending_abort : BENTO_E_BUDGET);
    }
    return switch_to_box(box, box->call_frame, box->call_exc_return, regs);
}

/* The runner's words above its frame (runtime-c/irq/deferred.c): the host's EXC_RETURN, then its
 * exception frame. Its r4-r11 are the host's again: the runner preserved them. */
static switch_record_t *irq_resume(const uint32_t *saved, const uint32_t *regs) {
    resume.msp = (uint32_t)(saved + 2);
    resume.exc_return = saved[0];
    CALLEE_SAVED(resume.regs) = CALLEE_SAVED(regs);
    return &resume;
}

/* A preemption runner is done (runtime-c/irq/deferred.c): its words above its frame are the
 * interrupted box's EXC_RETURN, its stack pointer (PSP, where its exception frame is) and its
 * record, and r4-r11 are the box's again (the runner preserved them). The box runs on as if the
 * runner had never been there. */
static switch_record_t *preempt_resume(const uint32_t *saved, const uint32_t *regs) {
    __asm__ volatile("msr psp, %0" : : "r"(saved[1]));
    bento_box_direct = (bento_box_t *)saved[2];
    resume.msp = (uint32_t)(saved + 4);
    resume.exc_return = saved[0];
    CALLEE_SAVED(resume.regs) = CALLEE_SAVED(regs);
    return &resume;
}

bento_box_t *bento_box_caller(void) {
    return bento_box_current == 0 ? suspended : 0;
}

void bento_box_abort_caller(int32_t code) {
    bento_box_t *box = bento_box_caller();
    if (box) {
        box->pending_abort = code < 0 ? code : BENTO_E_ABORTED;
    }
}

/* What a box may say of its own end: a trap kind (the runtime's trap path raises those inside
 * the box) or a code of its own (-32 and below). Anything else, 0 and bento's codes for what
 * happened outside the box (dead, busy, range, ...), becomes BENTO_E_ABORTED. */
static int32_t abort_code(int32_t code) {
    if (code <= BENTO_E_OWN_MAX || (code <= BENTO_E_TRAP(1) && code >= BENTO_E_TRAP(BENTO_TRAP_MEMORY_FAULT))) {
        return code;
    }
    return BENTO_E_ABORTED;
}

/* An abort with a line of text may also say the box's assert() failed: the text says what. */
static int32_t text_abort_code(int32_t code) {
    return code == BENTO_E_ASSERT ? code : abort_code(code);
}

switch_record_t *bento_svc_dispatch(uint32_t *frame, const uint32_t *regs, uint32_t exc_return) __attribute__((used));

switch_record_t *bento_svc_dispatch(uint32_t *frame, const uint32_t *regs, uint32_t exc_return) {
    uint32_t svc = ((const uint16_t *)frame[6])[-1] & 0xffu;
    int from_box = bento_box_current != 0 && (exc_return & 4u);
    int from_host_thread = bento_box_current == 0 && (exc_return & 0xfu) == 0x9u;
    switch (svc) {
    case BENTO_SVC_ENTER:
        if (!from_host_thread) {
            frame[0] = (uint32_t)BENTO_E_CONTEXT; /* never the record's address, read as success */
            return 0;
        }
        return enter(frame, regs, exc_return);
    case BENTO_SVC_RETURN:
        if (!from_box) {
            return 0;
        }
        bento_box_current->result = (uint64_t)frame[0] | ((uint64_t)frame[1] << 32);
        return leave(0);
    case BENTO_SVC_HOSTCALL:
        return from_box ? host_call(frame, regs, exc_return) : 0;
    case BENTO_SVC_ABORT:
        return from_box ? leave(abort_code((int32_t)frame[0])) : 0;
    case BENTO_SVC_HOSTRETURN:
        return from_host_thread && suspended ? host_return(regs) : 0;
    case BENTO_SVC_IRQ_RESUME:
        return from_host_thread ? irq_resume((const uint32_t *)frame[0], regs) : 0;
    case BENTO_SVC_PREEMPT_RESUME:
        return from_host_thread ? preempt_resume((const uint32_t *)frame[0], regs) : 0;
    case BENTO_SVC_ABORT_TEXT:
        return from_box ? leave(bento_box_abort_text(bento_box_current, text_abort_code((int32_t)frame[0]), frame[1], frame[2])) : 0;
    case BENTO_SVC_CONSOLE:
        return from_box ? run_on_host(bento_box_current, (const void *)bento_box_console_write, frame, regs, exc_return) : 0;
    default:
        return 0;
    }
}

/* Saves r4-r11 of whoever raised the SVC, dispatches, then either returns as it came or
 * switches to the context the dispatcher chose. */
__attribute__((naked)) void SVC_Handler(void) {
    __asm__ volatile(
        "tst lr, #4\n\t"
        "ite eq\n\t"
        "mrseq r0, msp\n\t"
        "mrsne r0, psp\n\t"
        "mov r2, lr\n\t"
        "push {r4-r11}\n\t"
        "mov r1, sp\n\t"
        "push {r2, r3}\n\t"
        "bl bento_svc_dispatch\n\t"
        "pop {r2, r3}\n\t"
        "cbnz r0, 1f\n\t"
        "pop {r4-r11}\n\t"
        "bx r2\n"
        "1:\n\t"
        "ldr r1, [r0, #4]\n\t"
        "ldr r2, [r0, #0]\n\t"
        "msr msp, r2\n\t"
        "adds r0, #8\n\t"
        "ldmia r0, {r4-r11}\n\t"
        "bx r1\n\t");
}

/* Where a box's function returns to. */
__attribute__((naked)) void bento_box_trampoline(void) {
    __asm__ volatile("svc #1\n\tb .");
}

/* Where a host function run for a gate returns to. The host's caller-saved FP registers go
 * back to a box whose frame may not restore them: clear them first. */
__attribute__((naked)) void bento_box_host_trampoline(void) {
#if defined(__ARM_FP)
    __asm__ volatile(ZERO_FP_LOW "svc #4\n\tb .");
#else
    __asm__ volatile("svc #4\n\tb .");
#endif
}

void bento_box_abort(int32_t code) {
    register int32_t r0 __asm__("r0") = code;
    __asm__ volatile("svc #3" : : "r"(r0) : "memory");
    for (;;) {
    }
}

uint32_t *bento_box_frame(uintptr_t sp, void (*entry)(void), const uint32_t words[4]) {
    uint32_t *psp = (uint32_t *)((sp & ~(uintptr_t)7u) - BOX_FRAME_WORDS * 4u);
    for (uint32_t i = 0; i < 4; i++) {
        psp[i] = words ? words[i] : 0;
    }
    psp[4] = 0;                              /* r12 */
    psp[5] = (uint32_t)bento_box_trampoline; /* LR: returning from entry comes back through an SVC */
    psp[6] = (uint32_t)entry & ~1u;          /* PC */
    psp[7] = XPSR_THUMB;
#if defined(__ARM_FP)
    /* S0-S15, FPSCR and the reserved word: the box starts with them all zero. Nine STRDs: a
     * loop here becomes a library memclr on the path of every call. */
    __asm__ volatile("movs r2, #0\n\tmovs r3, #0\n\t"
                     "strd r2, r3, [%0, #32]\n\tstrd r2, r3, [%0, #40]\n\tstrd r2, r3, [%0, #48]\n\t"
                     "strd r2, r3, [%0, #56]\n\tstrd r2, r3, [%0, #64]\n\tstrd r2, r3, [%0, #72]\n\t"
                     "strd r2, r3, [%0, #80]\n\tstrd r2, r3, [%0, #88]\n\tstrd r2, r3, [%0, #96]"
                     :
                     : "r"(psp)
                     : "r2", "r3", "memory");
#if defined(__ARM_FEATURE_MVE)
    psp[24] = 0x40000u; /* FPSCR.LTPSIZE = 4, as FPSCR_CLEAN leaves it: 0 makes LE fault */
#endif
#endif
    return psp;
}

int32_t bento_box_call(bento_box_t *box, uint32_t *psp) {
    register uint32_t r0 __asm__("r0") = (uint32_t)box;
    register uint32_t r1 __asm__("r1") = (uint32_t)psp;
    /* An abort does not restore s16-s31 (callee-saved): keep them here across the box, and
     * enter it with every FP register zeroed. FPSCR (rounding, flush-to-zero) is the host's
     * and is kept in r3, which the SVC's frame gives back. Eager FP stacking, from before the
     * first SVC on: every exception frame then holds the FP state it claims to, so neither the
     * host's frame nor a box abandoned mid-frame leaves a lazy save pending. */
#if defined(__ARM_FP)
    FPCCR &= ~FPCCR_LSPEN;
    __asm__ volatile("vpush {s16-s31}\n\tvmrs r3, fpscr\n\t" ZERO_FP_LOW ZERO_FP_HIGH "svc #0\n\tvmsr fpscr, r3\n\tvpop {s16-s31}"
                     : "+r"(r0)
                     : "r"(r1)
                     : "r2", "r3", "r12", "lr", "memory", "cc", "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "s12", "s13", "s14", "s15");
#else
    __asm__ volatile("svc #0" : "+r"(r0) : "r"(r1) : "r2", "r3", "r12", "lr", "memory", "cc");
#endif
    return (int32_t)r0;
}

/* From a handler that interrupted a box: return from the exception straight into the context
 * `to` (the host's, after leave). */
static void __attribute__((noreturn)) switch_from_handler(switch_record_t *to) {
    register switch_record_t *r __asm__("r0") = to;
    __asm__ volatile(
        "ldr r1, [r0, #4]\n\t"
        "ldr r2, [r0, #0]\n\t"
        "msr msp, r2\n\t"
        "adds r0, #8\n\t"
        "ldmia r0, {r4-r11}\n\t"
        "bx r1\n\t"
        :
        : "r"(r)
        : "r1", "r2", "memory");
    __builtin_unreachable();
}

/* A fault taken in a box: unwind to the host, by switching straight to the host's context. */
void bento_box_fault_unwind(uint32_t fault_kind, const uint32_t *frame) {
    bento_box_t *box = bento_box_current;
    /* Not behind the SVC: a box entered straight, whose code runs on PSP (box/direct.c). */
    bento_box_t *direct = box == 0 ? bento_box_direct : 0;
    if (box == 0 && direct == 0) {
        return;
    }
    int32_t code = bento_box_fault(box ? box : direct, fault_kind, frame);
    /* A fault while stacking leaves the exception the box was raising (SVC, UsageFault, ...)
     * pending: it must not be taken in the host after the unwind. */
    SCB_SHCSR &= ~SHCSR_PENDED;
    /* Fault status bits are sticky (write one to clear): the next fault must not see these. */
    SCB_CFSR = SCB_CFSR;
    SCB_HFSR = SCB_HFSR;
    if (direct) {
        bento_box_direct_unwind_from_handler(direct, code < 0 ? code : BENTO_E_ABORTED);
    }
    switch_from_handler(leave(code < 0 ? code : BENTO_E_ABORTED));
}

/* SysTick (box/budget.c), or the host interrupt dispatcher on its way back to the box, found
 * the running box out of budget. Either interrupted the box's Thread mode directly, so it is
 * the only active exception: return from it into the host. */
void bento_box_expire(void) {
    if (bento_box_current == 0 && bento_box_direct) {
        bento_box_direct_unwind_from_handler(bento_box_direct, BENTO_E_BUDGET);
    }
    switch_from_handler(leave(BENTO_E_BUDGET));
}

/* Images that run boxes define their own policy; without one, a fault simply aborts the box. */
__attribute__((weak)) int32_t bento_box_fault(bento_box_t *box, uint32_t fault_kind, const uint32_t *frame) {
    (void)box;
    (void)fault_kind;
    (void)frame;
    return BENTO_E_ABORTED;
}
