/* The fixed half of the spec conformance driver: runs the generated steps in command order and
 * reports each outcome on the UART, one line each, which src/spec/protocol.ts reads:
 *   S <steps>                      start
 *   R <command> ok                 instantiated, or every result matched
 *   R <command> fail <hex>...      returned (the bits of each result) when it should not have
 *   R <command> trap <kind>        trapped (bento/wasm.h kinds; BENTO_SPEC_EXIT + code for proc_exit)
 *   E <steps>                      end
 * Lines are written straight to the UART (no stdio buffer), so a crash loses nothing. */
#include <stdint.h>

#include "bento/console.h"
#include "spec.h"

uint64_t bento_spec_results[BENTO_SPEC_MAX_RESULTS];

static char line[32 + BENTO_SPEC_MAX_RESULTS * 17];
static uint32_t used;

static void put(const char *s) {
    while (*s != '\0' && used < sizeof line) {
        line[used++] = *s++;
    }
}

static void put_u32(uint32_t v) {
    char digits[10];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0u);
    while (n > 0 && used < sizeof line) {
        line[used++] = digits[--n];
    }
}

static void put_hex64(uint64_t v) {
    char digits[16];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v & 0xfu];
        v >>= 4;
    } while (v != 0u);
    while (n > 0 && used < sizeof line) {
        line[used++] = digits[--n];
    }
}

static void begin(const char *tag, uint32_t n) {
    used = 0;
    put(tag);
    put(" ");
    put_u32(n);
}

static void end(void) {
    put("\n");
    bento_console_write(line, used);
}

void bento_spec_pass(uint32_t command) {
    begin("R", command);
    put(" ok");
    end();
}

void bento_spec_fail(uint32_t command, uint32_t result_count) {
    begin("R", command);
    put(" fail");
    for (uint32_t i = 0; i < result_count && i < BENTO_SPEC_MAX_RESULTS; i++) {
        put(" ");
        put_hex64(bento_spec_results[i]);
    }
    end();
}

static void report_trap(uint32_t command, int32_t kind) {
    begin("R", command);
    put(" trap ");
    put_u32((uint32_t)kind);
    end();
}

int main(void) {
    bento_spec_policy_start();
    bento_spectest_reset();
    begin("S", bento_spec_step_count);
    end();
    for (uint32_t i = 0; i < bento_spec_step_count; i++) {
        const bento_spec_step_t *step = &bento_spec_steps[i];
        int32_t trap = bento_spec_protected(step->run);
        if (trap != 0) {
            report_trap(step->command, trap);
        } else if (step->kind == BENTO_SPEC_INSTANTIATE) {
            bento_spec_pass(step->command);
        }
    }
    begin("E", bento_spec_step_count);
    end();
    return 0;
}
