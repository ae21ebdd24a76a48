/* CPU budgets of boxes on SysTick (see bento/box.h). SysTick counts the core clock (CLKSOURCE
 * = processor clock; 25 MHz on QEMU's MPS2 boards, one tick every 40 instructions under
 * -icount shift=0) and only ever the budget of the box running now. Its reload value has 24
 * bits, so a longer budget is counted in chunks of 2^24 ticks. */
#include <stdint.h>
#include <stdio.h>

#include "bento/box.h"
#include "bento/scb.h"

#define SYST_CSR BENTO_REG(0xE000E010u)
#define SYST_RVR BENTO_REG(0xE000E014u)
#define SYST_CVR BENTO_REG(0xE000E018u)
#define SYST_CSR_ENABLE    (1u << 0)
#define SYST_CSR_TICKINT   (1u << 1)
#define SYST_CSR_CLKSOURCE (1u << 2)
#define SYST_CSR_COUNTFLAG (1u << 16) /* counted to 0 since the last read; reading clears it */
#define SHPR3_SYSTICK (*(volatile uint8_t *)0xE000ED23u)
#define ICSR_PENDSTCLR (1u << 25)
#define CHUNK_MAX (1u << 24)

/* The box whose budget SysTick counts, or NULL (SysTick is then the program's own). */
bento_box_t *volatile bento_budget_box;
/* Ticks of the chunk SysTick counts now, and of the budget beyond it. */
static uint32_t loaded;
static uint32_t beyond;
static uint32_t late;

/* Counts `ticks` from now: reload chunk - 1, current value 0, so the first clock edge loads
 * the reload value and the count reaches 0 `chunk` edges later. */
static void count(uint32_t ticks) {
    uint32_t chunk = ticks > CHUNK_MAX ? CHUNK_MAX : ticks < 2u ? 2u : ticks;
    loaded = chunk;
    beyond = ticks > chunk ? ticks - chunk : 0u;
    SYST_RVR = chunk - 1u;
    SYST_CVR = 0u;
    SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE;
}

/* Stops the count, and forgets an expiry the SVC handler or a fault handler got in before. */
static void halt(void) {
    SYST_CSR = 0u;
    SCB_ICSR = ICSR_PENDSTCLR;
    bento_budget_box = 0;
}

/* Core clock ticks since the count reached 0: none while the counter still reads 0; after
 * that it reloads (one edge) and counts down from the reload value. */
static uint32_t since_expiry(uint32_t current) {
    return current == 0u ? 0u : SYST_RVR - current + 1u;
}

void bento_budget_start(bento_box_t *box) {
    /* The lowest priority: an expiry waits for the SVC handler and fault handlers to finish,
     * which stop or pause the count themselves, so the handler only ever interrupts the box. */
    SHPR3_SYSTICK = 0xffu;
    bento_budget_box = box;
    count(box->budget);
}

int bento_budget_pause(bento_box_t *box) {
    uint32_t current = SYST_CVR;
    uint32_t csr = SYST_CSR; /* after CVR: an expiry between the two reads shows here */
    uint32_t after = SYST_CVR;
    halt();
    if (csr & SYST_CSR_COUNTFLAG) {
        if (beyond == 0u) {
            late = since_expiry(after);
        }
        current = 0u; /* this chunk ran out (its handler had no chance to run) */
    } else {
        /* A tick that has begun counts as used (the counter reads 0 until the first edge),
         * so even a box that only ever runs a moment between host calls uses its budget up. */
        current = (current == 0u ? loaded : current) - 1u;
    }
    box->budget_left = beyond + current;
    return box->budget_left != 0u;
}

void bento_budget_resume(bento_box_t *box) {
    bento_budget_box = box;
    count(box->budget_left);
}

void bento_budget_stop(void) {
    halt();
}

void bento_budget_report(const bento_box_t *box, uint32_t pc) {
    printf("[bento] box %s: CPU budget used up at pc 0x%08lx\n", box->name, (unsigned long)pc);
}

uint32_t bento_budget_late(void) {
    return late;
}

void bento_budget_tick(bento_box_t *box, const uint32_t *frame, uint32_t exc_return) __attribute__((used));

void bento_budget_tick(bento_box_t *box, const uint32_t *frame, uint32_t exc_return) {
    if (beyond != 0u) {
        count(beyond); /* a budget longer than one chunk: count the next */
        return;
    }
    if (box != bento_box_current || !(exc_return & 4u)) {
        halt(); /* not the box it counts for: never expected, and never the host's to pay */
        return;
    }
    late = since_expiry(SYST_CVR);
    bento_budget_report(box, frame[6]);
    bento_box_expire();
}

/* The SysTick vector (startup.c). While a budget counts it is the budget's; otherwise the
 * program's own SysTick_Handler runs, as if this were not here. */
__attribute__((naked)) void bento_systick_vector(void) {
    __asm__ volatile("ldr r0, =bento_budget_box\n\t"
                     "ldr r0, [r0]\n\t"
                     "cbnz r0, 1f\n\t"
                     "b SysTick_Handler\n"
                     "1:\n\t"
                     "mrs r1, psp\n\t"
                     "mov r2, lr\n\t"
                     "b bento_budget_tick\n\t"
                     ".ltorg");
}
