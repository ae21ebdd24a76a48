/*
 * How wabt 1.0.32's wasm2c runtime is set up for a bare-metal Cortex-M with newlib. bento
 * force-includes this header (gcc -include) into wasm-rt-impl.c and into the C that wasm2c
 * generated, and glue.c includes it, so the three agree on every setting.
 */
#ifndef BENTO_WASM_RT_BOARD_H
#define BENTO_WASM_RT_BOARD_H

/* Linear memory comes from calloc and every load and store is checked against its size. This
 * is already the default where pointers are 32 bits; stated so that nothing can turn on the
 * mmap and signal handler scheme, which needs an MMU and an OS. */
#define WASM_RT_MEMCHECK_SIGNAL_HANDLER 0

/* A trap ends the run through bento_wasm2c_trap (glue.c) instead of a longjmp to a
 * wasm_rt_impl_try() the glue never sets up. The kernels never trap. */
#define WASM_RT_TRAP_HANDLER bento_wasm2c_trap

#include <stdarg.h>

#include "wasm-rt.h"

void bento_wasm2c_trap(wasm_rt_trap_t code) __attribute__((noreturn));

/* arm-none-eabi builds with short enums (as newlib and libgcc are), so wasm_rt_type_t is one
 * byte, and the runtime's va_arg(args, wasm_rt_type_t) asks for a type that `...` never
 * passes: it is promoted to int. gcc compiles that read to a trap (udf). Read the promoted
 * type and convert it back; for every scalar type that is what the standard asks the caller to
 * pass. Building the runtime with -fno-short-enums instead would give its object 32-bit enums
 * and the link a mismatch with newlib. <stdarg.h> is include-guarded, so this definition
 * stays in force after the runtime includes it again. */
#undef va_arg
#define va_arg(ap, type) ((type)__builtin_va_arg(ap, __typeof__((type)0 + 0)))

#endif
