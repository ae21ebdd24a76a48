/* Vector table and reset handler: bring up the C environment and call main(). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bento/console.h"
#include "bento/counter.h"
#include "bento/irq.h"
#include "bento/scb.h"

extern uint32_t __bento_stack_top[];
extern uint32_t __bento_data_start[];
extern uint32_t __bento_data_end[];
extern uint32_t __bento_data_load[];
extern uint32_t __bento_bss_start[];
extern uint32_t __bento_bss_end[];

extern int main(void);
extern void bento_host_protect(void);
extern void __libc_init_array(void);

void Reset_Handler(void) __attribute__((noreturn));
void bento_unexpected_handler(void);
void HardFault_Handler(void);
void MemManage_Handler(void);
void BusFault_Handler(void);
void UsageFault_Handler(void);

/* Weak aliases of bento_unexpected_handler (fault.c): a program overrides one by defining it. */
void NMI_Handler(void);
void SVC_Handler(void);
void DebugMon_Handler(void);
void PendSV_Handler(void);
void SysTick_Handler(void);
void bento_systick_vector(void);

/* Every external interrupt, one vector per line of the board's NVIC, goes to the dispatcher
 * (irq/irq.c), which runs the handler the recipe declares for the line, or reports an
 * unexpected exception. */
#define EXTERNAL_IRQS BENTO_IRQ_VECTORS

typedef void (*vector_t)(void);

/* VTOR takes a table aligned to its size rounded up to a power of two, 128 bytes at least. */
#define VECTOR_TABLE_BYTES (4 * (16 + EXTERNAL_IRQS))
_Static_assert((BENTO_VECTOR_TABLE_ALIGN & (BENTO_VECTOR_TABLE_ALIGN - 1)) == 0 && BENTO_VECTOR_TABLE_ALIGN >= VECTOR_TABLE_BYTES &&
                   (BENTO_VECTOR_TABLE_ALIGN == 128 || BENTO_VECTOR_TABLE_ALIGN < 2 * VECTOR_TABLE_BYTES),
               "the vector table's alignment is its size rounded up to a power of two, at least 128");

__attribute__((section(".vectors"), used, aligned(BENTO_VECTOR_TABLE_ALIGN))) const vector_t bento_vectors[16 + EXTERNAL_IRQS] = {
    [0] = (vector_t)__bento_stack_top,
    [1] = Reset_Handler,
    [2] = NMI_Handler,
    [3] = HardFault_Handler,
    [4] = MemManage_Handler,
    [5] = BusFault_Handler,
    [6] = UsageFault_Handler,
    [11] = SVC_Handler,
    [12] = DebugMon_Handler,
    [14] = PendSV_Handler,
    [15] = bento_systick_vector,
    [16 ... 16 + EXTERNAL_IRQS - 1] = bento_irq_vector,
};

void Reset_Handler(void) {
#if defined(__ARM_FP)
    /* Grant full access to CP10/CP11 before any code can touch a floating-point register. */
    SCB_CPACR |= 0xFu << 20;
    /* Eager FP stacking: every exception frame holds the FP state it claims to. Box calls need
     * it (box/svc.c), and so does the deferred-interrupt runner, which returns into a frame
     * whose lazy save belonged to another. */
    BENTO_REG(0xE000EF34u) &= ~(1u << 30); /* FPCCR.LSPEN */
    bento_barrier();
#endif
    SCB_VTOR = (uint32_t)bento_vectors;
    /* Give MemManage, BusFault and UsageFault their own handlers instead of HardFault. */
    SCB_SHCSR |= SHCSR_MEMFAULTENA | SHCSR_BUSFAULTENA | SHCSR_USGFAULTENA;
    /* Priority 0, the highest, is the box boundary's: SVC and the faults (SysTick while a budget
     * counts, box/budget.c). The recipe's interrupts get 1 and below, so none preempts them. */
    BENTO_SHPR(4) = 0u;  /* MemManage */
    BENTO_SHPR(5) = 0u;  /* BusFault */
    BENTO_SHPR(6) = 0u;  /* UsageFault */
    BENTO_SHPR(11) = 0u; /* SVCall */
    /* PendSV the lowest: taken only once no handler runs (the deferred-interrupt runner of box
     * lines, irq/deferred.c, or an RTOS's context switch). */
    BENTO_SHPR(14) = 0xffu;
    /* Declared lines get their priority now; the host enables each once its peripheral is set. */
    for (uint32_t n = 0; n < bento_irq_lines; n++) {
        if (bento_irq_table[n].handler) {
            BENTO_NVIC_IPR(n) = bento_irq_table[n].priority;
        }
    }

    uint32_t *src = __bento_data_load;
    for (uint32_t *dst = __bento_data_start; dst < __bento_data_end;) {
        *dst++ = *src++;
    }
    for (uint32_t *dst = __bento_bss_start; dst < __bento_bss_end;) {
        *dst++ = 0;
    }

#if BENTO_MPU_REGIONS > 0
    bento_host_protect();
#endif
#ifdef BENTO_BOARD_SETUP
    /* The board file's setup writes (peripheral clocks, pin functions), in order. */
    static const struct {
        uint32_t address, clear, set;
    } setup[] = BENTO_BOARD_SETUP;
    for (uint32_t i = 0; i < sizeof(setup) / sizeof(setup[0]); i++) {
        volatile uint32_t *reg = (volatile uint32_t *)setup[i].address;
        *reg = (*reg & ~setup[i].clear) | setup[i].set;
    }
    bento_barrier();
#endif
#ifdef BENTO_COUNTER_INIT
    /* Boards whose counter is a timer start it here (runtime-c/counter/); the MPS2 FPGAIO
     * counter runs from reset. */
    bento_counter_init();
#endif
    bento_console_init();
    __libc_init_array();
    exit(main());
}

/* SysTick goes to the program's SysTick_Handler; images with boxes replace this with the box
 * CPU budgets' vector (box/budget.c), which hands SysTick on while no budget counts. */
__attribute__((weak, naked)) void bento_systick_vector(void) {
    __asm__ volatile("b SysTick_Handler");
}

/* newlib's __libc_init_array calls these; with -nostartfiles nobody else defines them. */
__attribute__((weak)) void _init(void) {}
__attribute__((weak)) void _fini(void) {}
