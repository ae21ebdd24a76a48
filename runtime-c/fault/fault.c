/* Fault handlers: print what went wrong, from which instruction, then end the run with an exit
 * code that names the fault kind. They run on a stack of their own, because the usual reason
 * for a fault is a stack that has just overflowed. */
#include <stdint.h>

#include "bento/console.h"
#include "bento/exit_codes.h"
#include "bento/scb.h"
#include "bento/semihost.h"

extern char __bento_ram_start[];
extern char __bento_ram_end[];

enum fault_kind { FAULT_HARD, FAULT_MEMMANAGE, FAULT_BUS, FAULT_USAGE, FAULT_UNEXPECTED };

static const char *const kind_names[] = {"HardFault", "MemManage", "BusFault", "UsageFault", "unexpected exception"};
static const int kind_exit_codes[] = {
    BENTO_EXIT_HARDFAULT, BENTO_EXIT_MEMMANAGE, BENTO_EXIT_BUSFAULT, BENTO_EXIT_USAGEFAULT, BENTO_EXIT_UNEXPECTED,
};

/* CFSR bit names, bit 0 first: MMFSR (0-7), BFSR (8-15), UFSR (16-31). */
static const char *const cfsr_bits[32] = {
    "IACCVIOL", "DACCVIOL", 0, "MUNSTKERR", "MSTKERR", "MLSPERR", 0, "MMARVALID",
    "IBUSERR", "PRECISERR", "IMPRECISERR", "UNSTKERR", "STKERR", "LSPERR", 0, "BFARVALID",
    "UNDEFINSTR", "INVSTATE", "INVPC", "NOCP", 0, 0, 0, 0,
    "UNALIGNED", "DIVBYZERO", 0, 0, 0, 0, 0, 0,
};

__attribute__((aligned(8))) uint8_t bento_fault_stack[1024];

/* In images with boxes (box/svc.c), a fault taken inside a box unwinds to the host instead. */
extern void bento_box_fault_unwind(uint32_t fault_kind, const uint32_t *frame) __attribute__((weak));

static void field(const char *name, uint32_t value) {
    bento_console_puts(name);
    bento_console_hex32(value);
}

void bento_fault_report(const uint32_t *frame, uint32_t exc_return, uint32_t kind) __attribute__((noreturn, used));

void bento_fault_report(const uint32_t *frame, uint32_t exc_return, uint32_t kind) {
    if (bento_box_fault_unwind && (exc_return & 4u) && kind != FAULT_UNEXPECTED) {
        bento_box_fault_unwind(kind, frame); /* returns only when no box was running */
    }
    uint32_t cfsr = SCB_CFSR;
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));

    bento_console_puts("\r\n*** bento: ");
    bento_console_puts(kind_names[kind]);
    if (kind == FAULT_UNEXPECTED) {
        bento_console_puts(" (exception number ");
        bento_console_hex32(ipsr & 0x1ff);
        bento_console_puts(")");
    }
    bento_console_puts("\r\n  CFSR ");
    bento_console_hex32(cfsr);
    for (int bit = 0; bit < 32; bit++) {
        if ((cfsr & (1u << bit)) && cfsr_bits[bit]) {
            bento_console_putc(' ');
            bento_console_puts(cfsr_bits[bit]);
        }
    }
    field("\r\n  HFSR ", SCB_HFSR);
    field("  MMFAR ", SCB_MMFAR);
    field("  BFAR ", SCB_BFAR);

    /* The stacked frame is trustworthy only if stacking itself did not fault and it lies in RAM. */
    int stacking_failed = (cfsr & (CFSR_MSTKERR | CFSR_STKERR)) != 0;
    const char *f = (const char *)frame;
    int in_ram = f >= __bento_ram_start && f + 32 <= __bento_ram_end;
    if (!stacking_failed && in_ram) {
        field("\r\n  PC ", frame[6]);
        field("  LR ", frame[5]);
        field("  xPSR ", frame[7]);
        field("  SP ", (uint32_t)frame);
    } else {
        field("\r\n  stacked frame unavailable (stack pointer ", (uint32_t)frame);
        bento_console_puts(")");
        if (stacking_failed) {
            bento_console_puts("\r\n  the stack could not hold the exception frame: likely a stack overflow");
        }
    }
    field("\r\n  EXC_RETURN ", exc_return);
    bento_console_puts("\r\n");
    bento_exit(kind_exit_codes[kind]);
}

/* Each handler picks the stack the faulting code used (EXC_RETURN bit 2), then switches to the
 * fault stack and reports. */
#define FAULT_HANDLER(name, kind)                              \
    __attribute__((naked)) void name(void) {                  \
        __asm__ volatile("tst lr, #4\n\t"                      \
                         "ite eq\n\t"                          \
                         "mrseq r0, msp\n\t"                   \
                         "mrsne r0, psp\n\t"                   \
                         "mov r1, lr\n\t"                      \
                         "movs r2, %0\n\t"                     \
                         "ldr r3, =bento_fault_stack + 1024\n\t" \
                         "mov sp, r3\n\t"                      \
                         "b bento_fault_report\n\t"            \
                         ".ltorg"                              \
                         :                                     \
                         : "i"(kind));                         \
    }

FAULT_HANDLER(HardFault_Handler, FAULT_HARD)
FAULT_HANDLER(MemManage_Handler, FAULT_MEMMANAGE)
FAULT_HANDLER(BusFault_Handler, FAULT_BUS)
/* fault/unaligned.c, where linked, takes UsageFault first to emulate unaligned accesses. */
FAULT_HANDLER(bento_usage_fault_report, FAULT_USAGE)
void UsageFault_Handler(void) __attribute__((weak, alias("bento_usage_fault_report")));
FAULT_HANDLER(bento_unexpected_handler, FAULT_UNEXPECTED)

/* Handlers a program may override by defining a function of the same name. */
#define WEAK_HANDLER(name) void name(void) __attribute__((weak, alias("bento_unexpected_handler")))
WEAK_HANDLER(NMI_Handler);
WEAK_HANDLER(SVC_Handler);
WEAK_HANDLER(DebugMon_Handler);
WEAK_HANDLER(PendSV_Handler);
WEAK_HANDLER(SysTick_Handler);
