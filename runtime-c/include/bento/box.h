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

/* From privileged code while a box runs (a host call, a fault handler): unwinds to the
 * bento_box_call that entered it, which returns `code`. */
void bento_box_abort_from_handler(int32_t code, uint32_t *switch_record);

/* Inside a box: ends it with `code` (negative) through an SVC. */
void bento_box_abort(int32_t code) __attribute__((noreturn));

/* 1 when the caller runs unprivileged in Thread mode (inside a box). */
static inline int bento_box_unprivileged(void) {
    uint32_t control, ipsr;
    __asm__ volatile("mrs %0, control" : "=r"(control));
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    return (control & 1u) && (ipsr & 0x1ffu) == 0;
}

/* A host call gate, for use in naked functions: r12 = target, then SVC. The target runs in
 * Handler mode (privileged) with the box's r0-r3 and up to 4 stacked argument words, and its
 * r0/r1 come back to the box. */
#define BENTO_BOX_GATE(target)                                                   \
    __asm__ volatile("ldr r12, =" #target "\n\t"                                 \
                     "svc #2\n\t"                                                \
                     "bx lr\n\t"                                                 \
                     ".ltorg")

/* Policy hooks the image defines: a trap or fault inside a box (default: abort the box). */
void bento_box_fault(bento_box_t *box, int32_t kind);

#endif
