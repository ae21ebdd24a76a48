/* Error codes of calls across a box boundary. Shared by the host, native boxes and Wasm boxes
 * (this header compiles for wasm32 too). */
#ifndef BENTO_ERRORS_H
#define BENTO_ERRORS_H

#include <stdint.h>

/* Error codes a call into a box returns (err types are negative on error). Wasm traps map to
 * BENTO_E_TRAP(kind) with the kinds of bento/wasm.h; an MPU fault is BENTO_E_TRAP(10) and a
 * stack overflow BENTO_E_TRAP(9), in native boxes too. */
#define BENTO_E_ABORTED (-1) /* the box aborted without a code of its own */
#define BENTO_E_DEAD    (-2) /* the box is held after a fault, or used up its restarts */
#define BENTO_E_BUSY    (-3) /* the box is already on the call chain (boxes are not re-entrant) */
#define BENTO_E_RANGE   (-4) /* a pointer argument lies outside the caller's memory */
#define BENTO_E_NOSPACE (-5) /* a buffer argument does not fit on the callee's stack */
#define BENTO_E_EXIT    (-6) /* the box called exit() */
#define BENTO_E_FAULT   (-7) /* a processor fault other than memory: undefined instruction, bad state */
#define BENTO_E_BUDGET  (-8) /* the call ran past the box's CPU budget (box.<name>.budget) */
#define BENTO_E_CONTEXT (-9) /* called from where no box can be entered: an interrupt handler,
                              * with PRIMASK or FAULTMASK set, or from a thread on PSP (an RTOS task) */
#define BENTO_E_RETURNED (-10) /* a function declared noreturn returned */
#define BENTO_E_HANDLE  (-11) /* a callback token, handle or instance number that is not valid here */
#define BENTO_E_ASSERT (-12) /* an assert() failed in a native box (runtime-c/box-libc/assert.c) */
#define BENTO_E_TRAP(kind) (-16 - (int32_t)(kind))
/* -1 .. -31 are bento's. A box's own __box_abort(code) with a code in that range is reported as
 * BENTO_E_ABORTED, so a code there always means what this list says; boxes use -32 and below. */
#define BENTO_E_OWN_MAX (-32)

#endif
