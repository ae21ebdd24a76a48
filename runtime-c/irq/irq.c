/* The dispatcher of external interrupts: every external vector of bento's table points here. It
 * finds the line in IPSR, looks its handler up in bento_irq_table (generated from the recipe's
 * host.interrupts) and runs it between bento_budget_irq_enter() and bento_budget_irq_exit().
 * A line nobody declared goes on to the unexpected-exception report (exit 154), as before. */
#include <stdint.h>

#include "bento/irq.h"

/* The dispatcher indexes the table with a shift by 3. */
_Static_assert(sizeof(bento_irq_entry_t) == 8, "bento_irq_entry_t is two words");

volatile uint32_t bento_irq_waiting;
volatile uint32_t bento_irq_off[(BENTO_IRQ_VECTORS + 31) / 32] = {[0 ...(BENTO_IRQ_VECTORS + 31) / 32 - 1] = 0xffffffffu};

/* Images without declared interrupts: no line has a handler. The generated table replaces this. */
__attribute__((weak)) const uint32_t bento_irq_lines = 0;
__attribute__((weak)) const bento_irq_entry_t bento_irq_table[1] = {{0, 0}};

/* Images without boxes have no budget to pause; box/budget.c defines both where boxes exist.
 * The exit is tail-called with LR = EXC_RETURN: this one's return is the exception return. */
__attribute__((weak)) void bento_budget_irq_enter(void) {}
__attribute__((weak)) void bento_budget_irq_exit(uint32_t exc_return) {
    (void)exc_return;
}

/* Naked, so that nothing of the dispatcher's is left once bento_budget_irq_exit runs: it may
 * never return here (it can abort the interrupted box by switching context), so the handler is
 * called with EXC_RETURN saved on the main stack (two words: the hardware aligned the frame to
 * 8 bytes and the push keeps it so), and the exit is a tail call with r0 = LR = EXC_RETURN.
 * The handler is an AAPCS function: r0-r3 and r12 are its to clobber, and the hardware frame
 * restores them; r4-r11 it preserves itself. An undeclared line leaves LR and the stacks as the
 * hardware set them, for the fault report. */
__attribute__((naked)) void bento_irq_vector(void) {
    __asm__ volatile("mrs r0, ipsr\n\t"
                     "subs r0, r0, #16\n\t"            /* external line number */
                     "ldr r1, =bento_irq_lines\n\t"
                     "ldr r1, [r1]\n\t"
                     "cmp r0, r1\n\t"
                     "bhs 1f\n\t"                      /* past the table */
                     "ldr r1, =bento_irq_table\n\t"
                     "ldr r1, [r1, r0, lsl #3]\n\t"    /* bento_irq_table[line].handler */
                     "cbz r1, 1f\n\t"                  /* undeclared */
                     "push {r1, lr}\n\t"               /* handler, EXC_RETURN */
                     "bl bento_budget_irq_enter\n\t"
                     "ldr r1, [sp]\n\t"
                     "blx r1\n\t"
                     "pop {r0, lr}\n\t"
                     "mov r0, lr\n\t"
                     "b bento_budget_irq_exit\n\t"
                     "1:\n\t"
                     "b bento_unexpected_handler\n\t"
                     ".ltorg");
}
