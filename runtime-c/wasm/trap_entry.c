/* Where every trap from compiled code enters. The stack check on function entry runs after the
 * frame is allocated, so a trap for stack exhaustion may arrive with SP already below the
 * limit: in privileged Thread mode, switch to a stack of its own before running the image's
 * policy. A box (unprivileged) keeps its stack, which an MPU guard protects instead. */
#include <stdint.h>

#include "bento/wasm.h"

#define TRAP_STACK_BYTES 2048

__attribute__((aligned(8))) uint8_t bento_wasm_trap_stack[TRAP_STACK_BYTES];

__attribute__((naked)) void bento_wasm_trap(int32_t kind) {
    __asm__ volatile(
        "mrs r1, control\n\t"
        "tst r1, #1\n\t"
        "bne 1f\n\t"
        "mrs r1, ipsr\n\t"
        "cbnz r1, 1f\n\t"
        "ldr r1, =bento_wasm_trap_stack + 2048\n\t"
        "mov sp, r1\n"
        "1:\n\t"
        "b bento_wasm_on_trap\n\t"
        ".ltorg");
}
