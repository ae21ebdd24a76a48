/* Unprivileged boxes on ARMv7-M: a box runs in Thread mode, unprivileged, on its own stack
 * (PSP), and can touch only the memory its MPU regions grant. Crossing the boundary takes an
 * SVC: the host enters a box with bento_box_call, the box comes back by returning (through a
 * trampoline), reaches privileged host functions through gates, and is aborted by a trap or a
 * fault. The host's callee-saved registers and stack are restored on every way back. */
#ifndef BENTO_BOX_H
#define BENTO_BOX_H

#include <stdint.h>

/* SVC numbers (the immediate of the svc instruction). */
#define BENTO_SVC_ENTER 0
#define BENTO_SVC_RETURN 1
#define BENTO_SVC_HOSTCALL 2
#define BENTO_SVC_ABORT 3

typedef struct bento_box {
    const char *name;
    uintptr_t stack_top; /* initial PSP, 8-byte aligned */
    /* Host functions the box may call: a gate passes an index into this table, so a box can
     * reach nothing else with privilege. */
    const void *const *gates;
    uint32_t gate_count;
    /* The host context saved on entry: MSP at the SVC, its EXC_RETURN, r4-r11. */
    uint32_t host_msp;
    uint32_t host_exc_return;
    uint32_t host_regs[8];
    int32_t aborted; /* the error code of the last abort, or 0 */
} bento_box_t;

/* The box running now, or NULL in the host. */
extern bento_box_t *volatile bento_box_current;

/* Runs fn() inside the box (unprivileged, on the box's stack). Returns 0 when fn returns, or
 * the negative code passed to bento_box_abort when the box was aborted. Privileged callers
 * only. */
int32_t bento_box_call(bento_box_t *box, void (*fn)(void));

/* Inside a box: ends it with `code` (negative) through an SVC. */
void bento_box_abort(int32_t code) __attribute__((noreturn));

/* 1 when the caller runs unprivileged in Thread mode (inside a box). */
static inline int bento_box_unprivileged(void) {
    uint32_t control, ipsr;
    __asm__ volatile("mrs %0, control" : "=r"(control));
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    return (control & 1u) && (ipsr & 0x1ffu) == 0;
}

/* The body of a host call gate (a naked function): r12 = index into the box's gate table, then
 * SVC. The host function runs in Handler mode (privileged) with the box's r0-r3 and up to four
 * stacked argument words; its r0/r1 come back to the box. */
#define BENTO_BOX_GATE(index) __asm__ volatile("mov r12, #" #index "\n\tsvc #2\n\tbx lr")

/* Called (privileged) when a box faults; the image decides what happens. Returning aborts the
 * box with the code returned. */
int32_t bento_box_fault(bento_box_t *box, uint32_t fault_kind, const uint32_t *frame);

/* Fault handlers call this for a fault taken while a box ran (Thread mode, PSP): it asks
 * bento_box_fault and unwinds to the host. Returns only if no box was running. */
void bento_box_fault_unwind(uint32_t fault_kind, const uint32_t *frame);

#endif
