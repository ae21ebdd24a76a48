/* Process control: exit and yield. */
#include <stdint.h>

#include "bento/wasi.h"
#include "bento/wasm.h"

/* proc_exit: (i32 rval) -> never returns
 * The image decides what an exit means (bento_wasm_exit): end the run, or return from a box. */
void bento_wasi_proc_exit(bento_wasm_instance_t *inst, int32_t code) {
    bento_wasm_exit(inst, code);
}

/* sched_yield: () -> i32 errno
 * A guest is the only thread of execution: there is nobody to yield to. */
int32_t bento_wasi_sched_yield(bento_wasm_instance_t *inst) {
    (void)inst;
    return BENTO_WASI_ESUCCESS;
}
