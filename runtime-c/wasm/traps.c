/* The wording of each trap kind in bento/wasm.h, as the WebAssembly spec's test suite spells
 * it (assert_trap messages), so a report on the board reads like any other engine's. */
#include <stdint.h>

#include "bento/wasm.h"

const char *bento_wasm_trap_name(int32_t kind) {
    switch (kind) {
    case BENTO_TRAP_UNREACHABLE:
        return "unreachable";
    case BENTO_TRAP_DIVIDE_BY_ZERO:
        return "integer divide by zero";
    case BENTO_TRAP_INTEGER_OVERFLOW:
        return "integer overflow";
    case BENTO_TRAP_INVALID_CONVERSION:
        return "invalid conversion to integer";
    case BENTO_TRAP_MEMORY_OUT_OF_BOUNDS:
        return "out of bounds memory access";
    case BENTO_TRAP_TABLE_OUT_OF_BOUNDS:
        return "out of bounds table access";
    case BENTO_TRAP_UNINITIALIZED_ELEMENT:
        return "uninitialized element";
    case BENTO_TRAP_INDIRECT_CALL_TYPE_MISMATCH:
        return "indirect call type mismatch";
    case BENTO_TRAP_STACK_EXHAUSTED:
        return "call stack exhausted";
    case BENTO_TRAP_MEMORY_FAULT:
        return "memory fault (MPU)";
    default:
        return "unknown trap";
    }
}
