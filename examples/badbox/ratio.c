/* The ratio box: part as a percentage of whole, without checking whole for zero. In wasm an
 * integer division by zero traps (-18); the recipe holds this box dead after its first fault,
 * so every later call fails at once with BENTO_E_DEAD (-2) without running it. */
#include "bento_ratio.h"

int32_t percent(uint16_t part, uint16_t whole) {
    /* At most 65535 * 100, so the result is never negative (which would read as an error). */
    return (int32_t)((uint32_t)part * 100u / whole);
}
