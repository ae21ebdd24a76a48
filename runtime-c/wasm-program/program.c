/* Policy of a run-wasm image: a trap reports its kind on stderr and exits 134 (from inside an
 * MPU box, after unwinding to the host); proc_exit and the
 * end of _start exit with the program's code. With BENTO_ICOUNT_REPORT, the number of emulated
 * instructions the guest ran is reported too (QEMU -icount shift=0: one tick = 40 instructions
 * at 25 MHz, 1e9 / BENTO_COUNTER_HZ in general). Messages go to the host's stderr through semihosting, apart from the program's
 * own output on the UART. */
#include <stdint.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>

#include "bento/box.h"
#include "bento/counter.h"
#include "bento/exit_codes.h"
#include "bento/semihost.h"
#include "bento/wasm_program.h"

extern char __bento_stack_limit[];

uintptr_t bento_wasm_stack_limit;
static uint32_t start_ticks;

void bento_wasm_program_start(uint32_t reserve) {
    bento_wasm_stack_limit = (uintptr_t)__bento_stack_limit + reserve;
    start_ticks = bento_counter_read();
}

static void report_count(void) {
#ifdef BENTO_ICOUNT_REPORT
    uint32_t ticks = bento_counter_read() - start_ticks;
    /* Exact for any rate: 40 per tick at 25 MHz, 1000/48 at 48 MHz. */
    uint64_t count = (uint64_t)ticks * 1000000000u / BENTO_COUNTER_HZ;
    /* newlib-nano's printf has no %llu: format by hand. */
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + count % 10);
        count /= 10;
    } while (count > 0);
    char line[64] = "bento: guest ran ";
    size_t len = strlen(line);
    while (n > 0) {
        line[len++] = digits[--n];
    }
    const char *tail = " instructions\n";
    memcpy(line + len, tail, strlen(tail));
    bento_semihost_write_stderr(line, (uint32_t)(len + strlen(tail)));
#endif
}

void bento_wasm_program_end(bento_wasm_instance_t *instance, int32_t code) {
    (void)instance;
    fflush(stdout);
    report_count();
    bento_exit(code);
}

void bento_wasm_exit(bento_wasm_instance_t *instance, int32_t code) {
    bento_wasm_program_end(instance, code);
}

void bento_wasm_on_trap(int32_t kind) {
    /* Inside an MPU box: unwind to the host, which reports it (privileged). */
    if (bento_box_unprivileged()) {
        bento_box_abort(BENTO_E_TRAP(kind));
    }
    fflush(stdout);
    const char *name = bento_wasm_trap_name(kind);
    bento_semihost_write_stderr("trap: ", 6);
    bento_semihost_write_stderr(name, (uint32_t)strlen(name));
    bento_semihost_write_stderr("\n", 1);
    report_count();
    bento_exit(BENTO_EXIT_TRAP);
}
