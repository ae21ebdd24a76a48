/* A zero that compiled Wasm reads instead of knowing: src/lower/numeric.ts builds a signalling
 * NaN constant as `bits | bento_wasm_opaque_zero`, so LLVM cannot fold arithmetic on it (LLVM 14
 * would return the signalling NaN unquietened). Const, so it lives in code memory, which every
 * box may read; the compiled code declares it as a plain external variable of unknown value. */
#include <stdint.h>

const uint32_t bento_wasm_opaque_zero = 0;
