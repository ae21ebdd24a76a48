/* Calling into a box with its fault policy: a new box, or one due for a restart, is
 * initialised on its next call; an abort counts as a fault and leaves the box restarting,
 * held (dead) or stops the system, as its recipe says. */
#include <stdint.h>
#include <stdio.h>

#include "bento/box.h"
#include "bento/exit_codes.h"
#include "bento/irq.h"
#include "bento/scb.h"
#include "bento/semihost.h"
#include "bento/wasm.h"

static void report(const bento_box_t *box, int32_t code, const char *then) {
    printf("[bento] box %s aborted: %s (%ld), %s\n", box->name, bento_box_error_name(code), (long)code, then);
    fflush(stdout);
}

/* A line the box wrote in its own memory as it aborted (bento_box_abort_text checked that it lies
 * there): printed as it is up to its first newline, anything but printable ASCII as '?', so the
 * box cannot start lines of its own in bento's report. */
static void report_text(const bento_box_t *box, const char *text, uint32_t length) {
    printf("[bento] box %s: ", box->name);
    for (uint32_t i = 0; i < length && text[i] != '\n' && text[i] != 0; i++) {
        char c = text[i];
        putchar(c >= 0x20 && c < 0x7f ? c : '?');
    }
    putchar('\n');
}

/* What was noted where the box was stopped (a fault handler, SysTick): printed here, in
 * Thread mode, where a slow UART holds up no interrupt. */
static void report_cause(bento_box_t *box) {
    const bento_box_report_t *r = &box->report;
    switch (r->kind) {
    case BENTO_REPORT_BUDGET:
        printf("[bento] box %s: CPU budget used up at pc 0x%08lx\n", box->name, (unsigned long)r->pc);
        break;
    case BENTO_REPORT_STACK:
        printf("[bento] box %s: stack overflow\n", box->name);
        break;
    case BENTO_REPORT_MEMORY:
        printf("[bento] box %s: memory fault at pc 0x%08lx, address 0x%08lx\n", box->name, (unsigned long)r->pc, (unsigned long)r->address);
        break;
    case BENTO_REPORT_FAULT:
        printf("[bento] box %s: fault at pc 0x%08lx, cfsr 0x%08lx\n", box->name, (unsigned long)r->pc, (unsigned long)r->cfsr);
        break;
    case BENTO_REPORT_TEXT:
        report_text(box, (const char *)(uintptr_t)r->address, r->length);
        break;
    default:
        break;
    }
    box->report.kind = BENTO_REPORT_NONE;
}

/* A box stopped for what its caller did, not for anything of its own: a budget of the boxes that
 * called it straight ran out, or its stack overflowed with the caller's buffers on it. It was
 * stopped midway, so it starts afresh on its next call, but no fault is counted and its policy
 * (hold, panic) does not apply: a caller must not be able to get another box held or the
 * system stopped. The caller gets `code`. */
static int32_t stopped_for_caller(bento_box_t *box, int32_t code, const char *why) {
    printf("[bento] box %s stopped: %s; it starts afresh on its next call, no fault counted\n", box->name, why);
    fflush(stdout);
    box->report.kind = BENTO_REPORT_NONE;
    box->state = BENTO_BOX_UNINIT;
    return code;
}

/* An abort: count it, then restart, hold or panic. Returns `code`. */
static int32_t aborted(bento_box_t *box, int32_t code) {
    report_cause(box);
    box->faults++;
    box->last_error = code;
    if (box->policy == BENTO_BOX_PANIC) {
        report(box, code, "panic: stopping the system");
        bento_exit(BENTO_EXIT_BOX_PANIC);
    }
    if (box->policy == BENTO_BOX_ALWAYS_RESTART || (box->policy == BENTO_BOX_RESTART && box->faults <= box->restart_limit)) {
        char then[48];
        if (box->policy == BENTO_BOX_ALWAYS_RESTART) {
            snprintf(then, sizeof then, "fault %lu, fresh on its next call", (unsigned long)box->faults);
        } else {
            snprintf(then, sizeof then, "restart %lu of %u on its next call", (unsigned long)box->faults, (unsigned)box->restart_limit);
        }
        report(box, code, then);
        box->state = BENTO_BOX_UNINIT;
    } else {
        report(box, code, box->policy == BENTO_BOX_HOLD ? "held" : "held: no restarts left");
        box->state = BENTO_BOX_DEAD;
    }
    return code;
}

int32_t bento_box_fail(bento_box_t *box, int32_t code) {
    return aborted(box, code);
}

/* A call into the box (its start-up or a function) ended with `code` < 0: whose doing was it? */
static int32_t ended(bento_box_t *box, int32_t code) {
    if (box->report.kind == BENTO_REPORT_CALLER_BUDGET) {
        return stopped_for_caller(box, BENTO_E_BUDGET, "the CPU budget of the box that called it ran out");
    }
    if (code == BENTO_E_TRAP(BENTO_TRAP_STACK_EXHAUSTED) && box->pushed != 0) {
        box->report.kind = BENTO_REPORT_NONE;
        return stopped_for_caller(box, BENTO_E_NOSPACE, "its stack overflowed with its caller's buffers on it");
    }
    return aborted(box, code);
}

/* The box is off the call chain again (ready, restarting or dead): a line of its, noted while it
 * ran, waits for exactly this (runtime-c/irq/deferred.c), so PendSV runs the runner now. */
static inline int32_t off_chain(int32_t code) {
    if (bento_irq_waiting) {
        SCB_ICSR = 1u << 28; /* ICSR.PENDSVSET */
    }
    return code;
}

int32_t bento_box_prepare(bento_box_t *box) {
    switch (box->state) {
    case BENTO_BOX_DEAD:
        return BENTO_E_DEAD;
    case BENTO_BOX_RUNNING:
        return BENTO_E_BUSY;
    case BENTO_BOX_UNINIT: {
        box->state = BENTO_BOX_RUNNING;
        int32_t code = box->init ? box->init(box) : 0;
        if (code < 0) {
            return off_chain(ended(box, code));
        }
        box->state = BENTO_BOX_READY;
        return 0;
    }
    default:
        return 0;
    }
}

int32_t bento_box_run(bento_box_t *box, void (*entry)(void), const uint32_t words[4], uintptr_t sp, uint64_t *result) {
    box->state = BENTO_BOX_RUNNING;
    int32_t code = box->direct ? bento_box_direct_run(box, entry, words, sp, &box->result) : bento_box_call(box, bento_box_frame(sp, entry, words));
    if (code < 0) {
        return off_chain(ended(box, code));
    }
    box->state = BENTO_BOX_READY;
    *result = box->result;
    return off_chain(0);
}

int32_t bento_box_direct_ended(bento_box_t *box, int32_t code) {
    box->pushed = 0;
    return off_chain(ended(box, code));
}

const char *bento_box_state_name(enum bento_box_state state) {
    static const char *const names[] = {"uninit", "ready", "running", "dead"};
    return (unsigned)state < sizeof names / sizeof names[0] ? names[state] : "?";
}

const char *bento_box_error_name(int32_t code) {
    switch (code) {
    case BENTO_E_ABORTED:
        return "aborted";
    case BENTO_E_DEAD:
        return "box is dead";
    case BENTO_E_BUSY:
        return "box is busy (re-entrant call)";
    case BENTO_E_RANGE:
        return "pointer outside the caller's memory";
    case BENTO_E_NOSPACE:
        return "buffer too large for the callee's stack";
    case BENTO_E_EXIT:
        return "exit() called";
    case BENTO_E_FAULT:
        return "processor fault (undefined instruction or invalid state)";
    case BENTO_E_BUDGET:
        return "CPU budget exceeded";
    case BENTO_E_CONTEXT:
        return "no box can be entered from here (interrupt handler, masked interrupts or PSP)";
    case BENTO_E_RETURNED:
        return "a noreturn function returned";
    case BENTO_E_HANDLE:
        return "not a valid callback, handle or instance here";
    case BENTO_E_ASSERT:
        return "assertion failed";
    default:
        if (code <= BENTO_E_TRAP(1) && code >= BENTO_E_TRAP(BENTO_TRAP_MEMORY_FAULT)) {
            return bento_wasm_trap_name(-code - 16);
        }
        return "error";
    }
}
