/* A firmware that runs one Wasm program to completion (bento run-wasm): what happens on a trap,
 * on proc_exit, and the optional instruction count report. */
#ifndef BENTO_WASM_PROGRAM_H
#define BENTO_WASM_PROGRAM_H

#include <stdint.h>

#include "bento/wasm.h"

/* Sets the guest stack limit `reserve` bytes above the bottom of the main stack (room for the
 * runtime's own calls after a trap) and starts the instruction count. */
void bento_wasm_program_start(uint32_t reserve);

/* Ends the run with `code`, after the instruction count report when it is enabled. */
void bento_wasm_program_end(bento_wasm_instance_t *instance, int32_t code) __attribute__((noreturn));

#endif
