/* Policy of a spec conformance image: a trap (or proc_exit) unwinds with longjmp to the step
 * that was running, so the run goes on with the next command.
 *
 * The guest's stack limit leaves BENTO_SPEC_STACK_RESERVE bytes above the stack guard: room for
 * the largest guest frame that is pushed before its entry check, plus the trap path.
 *
 * A watchdog on SysTick (every 10 ms) stops a step that runs longer than
 * BENTO_SPEC_STEP_LIMIT_MS: it rewrites the stacked return address of the interrupted code so
 * that the exception returns into an escape, which unwinds like a trap. One hung command then
 * costs its time limit instead of the whole run. */
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include "bento/console.h"
#include "bento/exit_codes.h"
#include "bento/scb.h"
#include "bento/semihost.h"
#include "bento/wasm.h"
#include "spec.h"

#ifndef BENTO_SPEC_STACK_RESERVE
#error "BENTO_SPEC_STACK_RESERVE must be defined (bytes kept free below the guest's stack limit)"
#endif
#ifndef BENTO_SPEC_STEP_LIMIT_MS
#error "BENTO_SPEC_STEP_LIMIT_MS must be defined (the watchdog's limit for one step)"
#endif
#ifndef BENTO_SPEC_CPU_HZ
#error "BENTO_SPEC_CPU_HZ must be defined (the SysTick clock)"
#endif

#define SYST_CSR BENTO_REG(0xE000E010u)
#define SYST_RVR BENTO_REG(0xE000E014u)
#define SYST_CVR BENTO_REG(0xE000E018u)
#define SYST_CSR_ENABLE    (1u << 0)
#define SYST_CSR_TICKINT   (1u << 1)
#define SYST_CSR_CLKSOURCE (1u << 2) /* the processor clock */
#define TICK_HZ 100u

/* xPSR: the Thumb bit, and the IT/ICI bits that must not survive into the escape. */
#define XPSR_T       (1u << 24)
#define XPSR_IT_ICI  0x0600fc00u

extern char __bento_stack_limit[];

uintptr_t bento_wasm_stack_limit;

/* The innermost bento_spec_protected call, or NULL outside any. */
static jmp_buf *active;
static volatile uint32_t watching;
static volatile uint32_t step_ticks;

void bento_spec_policy_start(void) {
    bento_wasm_stack_limit = (uintptr_t)__bento_stack_limit + BENTO_SPEC_STACK_RESERVE;
    SYST_RVR = BENTO_SPEC_CPU_HZ / TICK_HZ - 1u;
    SYST_CVR = 0u;
    SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE;
}

int32_t bento_spec_protected(void (*fn)(void)) {
    jmp_buf here;
    jmp_buf *volatile outer = active;
    int32_t kind = setjmp(here);
    if (kind == 0) {
        active = &here;
        step_ticks = 0u;
        watching = 1u;
        fn();
        watching = 0u;
        active = outer;
        return 0;
    }
    watching = 0u;
    active = outer;
    return kind;
}

static void unwind(int32_t kind) __attribute__((noreturn));

static void unwind(int32_t kind) {
    if (active == NULL) {
        /* A trap outside any step is a harness bug: say so and stop. */
        bento_console_puts("X trap outside a step: ");
        bento_console_puts(bento_wasm_trap_name(kind));
        bento_console_puts("\n");
        bento_exit(BENTO_EXIT_TRAP);
    }
    longjmp(*active, kind);
}

void bento_wasm_on_trap(int32_t kind) {
    unwind(kind);
}

void bento_wasm_exit(bento_wasm_instance_t *instance, int32_t code) {
    (void)instance;
    unwind(BENTO_SPEC_EXIT + (code & 0xff));
}

void bento_spec_timeout(void) __attribute__((noreturn, used));

void bento_spec_timeout(void) {
    unwind(BENTO_SPEC_TIMEOUT);
}

/* Where a stopped step resumes, in thread mode on its own stack: realign the stack (it may have
 * been interrupted between pushes) and unwind. */
__attribute__((naked, noreturn)) static void timeout_escape(void) {
    __asm__ volatile("mov r0, sp\n\t"
                     "bic r0, r0, #7\n\t"
                     "mov sp, r0\n\t"
                     "b bento_spec_timeout\n\t");
}

void bento_spec_tick(uint32_t *frame) __attribute__((used));

void bento_spec_tick(uint32_t *frame) {
    if (!watching || ++step_ticks < BENTO_SPEC_STEP_LIMIT_MS / (1000u / TICK_HZ)) {
        return;
    }
    watching = 0u;
    frame[6] = (uint32_t)(uintptr_t)timeout_escape & ~1u;
    frame[7] = (frame[7] & ~XPSR_IT_ICI) | XPSR_T;
}

/* The frame of the interrupted code is on the stack it used (EXC_RETURN bit 2). */
__attribute__((naked)) void SysTick_Handler(void) {
    __asm__ volatile("tst lr, #4\n\t"
                     "ite eq\n\t"
                     "mrseq r0, msp\n\t"
                     "mrsne r0, psp\n\t"
                     "b bento_spec_tick\n\t");
}
