/* Policy of an image built from a recipe: every trap or fault inside a box aborts that box
 * with an error code (bento/box.h), which its caller gets back; the host keeps running. */
#include <stdint.h>
#include <stdio.h>

#include "bento/box.h"
#include "bento/exit_codes.h"
#include "bento/scb.h"
#include "bento/semihost.h"
#include "bento/unaligned.h"
#include "bento/wasm.h"

#define FAULT_BUS 2u
/* An access below the stack's bottom and this close below the stack pointer is the stack running
 * over; one further from the stack pointer is an ordinary bad address (another box's memory may
 * lie just below this box's stack). */
#define STACK_OVERRUN_WINDOW 4096u

void bento_wasm_on_trap(int32_t kind) {
    if (bento_box_unprivileged()) {
        bento_box_abort(BENTO_E_TRAP(kind));
    }
    if (bento_box_direct) {
        /* A box entered straight (box/direct.c). Its stack check caught the overflow the MPU
         * catches for a box behind the SVC: the same report. */
        if (kind == BENTO_TRAP_STACK_EXHAUSTED) {
            bento_box_direct->report.kind = BENTO_REPORT_STACK;
        }
        bento_box_direct_abort(BENTO_E_TRAP(kind));
    }
    /* Wasm code only ever runs inside boxes: a trap in the host is a bento bug. */
    printf("*** bento: trap in the host: %s\n", bento_wasm_trap_name(kind));
    fflush(stdout);
    bento_exit(BENTO_EXIT_TRAP);
}

/* WASI proc_exit inside a box ends the box, not the system. */
void bento_wasm_exit(bento_wasm_instance_t *instance, int32_t code) {
    (void)instance;
    (void)code;
    bento_box_abort_caller(BENTO_E_EXIT);
    bento_exit(BENTO_EXIT_TRAP);
}

int32_t bento_box_fault(bento_box_t *box, uint32_t fault_kind, const uint32_t *frame) {
    const uint32_t cfsr = SCB_CFSR;
    uint32_t valid = fault_kind == FAULT_BUS ? (cfsr & CFSR_BFARVALID) : (cfsr & CFSR_MMARVALID);
    uint32_t address = fault_kind == FAULT_BUS ? SCB_BFAR : SCB_MMFAR;
    /* An unaligned access the emulation refused (fault/unaligned.c) is a memory fault too. */
    if ((cfsr & CFSR_UNALIGNED) && bento_unaligned_refusal.refused) {
        valid = 1;
        address = bento_unaligned_refusal.address;
        bento_unaligned_refusal.refused = 0;
    }
    int stack = (cfsr & (CFSR_MSTKERR | CFSR_STKERR)) != 0;
    if (valid && address < box->stack_bottom && address + STACK_OVERRUN_WINDOW >= (uint32_t)(uintptr_t)frame) {
        stack = 1;
    }
    /* Noted, not printed: this runs in a fault handler at priority 0, and the report is printed
     * with the abort line once the host runs again (box/run.c). */
    if (stack) {
        /* The frame may not exist (the stacking itself failed): read nothing of it. */
        box->report.kind = BENTO_REPORT_STACK;
        return BENTO_E_TRAP(BENTO_TRAP_STACK_EXHAUSTED);
    }
    box->report.pc = frame[6];
    if (valid) {
        box->report.kind = BENTO_REPORT_MEMORY;
        box->report.address = address;
        return BENTO_E_TRAP(BENTO_TRAP_MEMORY_FAULT);
    }
    box->report.kind = BENTO_REPORT_FAULT;
    box->report.cfsr = cfsr;
    /* MemManage and BusFault status (the low 16 bits) without an address is still memory;
     * UsageFault (undefined instruction, invalid state) and escalations to HardFault are not. */
    return (cfsr & 0xffffu) ? BENTO_E_TRAP(BENTO_TRAP_MEMORY_FAULT) : BENTO_E_FAULT;
}
