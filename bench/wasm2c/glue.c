/*
 * A benchmark kernel built through wasm2c, as the harness sees it: kernel.h's functions, each
 * a call into one static instance of the module wasm2c generated (module.h, module name
 * "kernel", in the variant's build folder). The runtime and the instance are set up on the
 * first call, which kernel.h says is kernel_init, so kernel_run only pays a flag test.
 */
#include <stdbool.h>
#include <stdio.h>

#include "bento/exit_codes.h"
#include "bento/semihost.h"
#include "kernel.h"
#include "module.h"
#include "wasm-rt-board.h"

const char *const kernel_name = BENCH_KERNEL_NAME;

static Z_kernel_instance_t instance;
static bool instantiated;

static Z_kernel_instance_t *kernel_instance(void) {
    if (!instantiated) {
        wasm_rt_init();
        Z_kernel_init_module();
        /* Allocates the linear memory on the heap and copies the data segments into it. */
        Z_kernel_instantiate(&instance);
        /* A WASI reactor's constructors. */
        Z_kernelZ__initialize(&instance);
        instantiated = true;
    }
    return &instance;
}

void kernel_init(void) {
    Z_kernelZ_kernel_init(kernel_instance());
}

void kernel_run(void) {
    Z_kernelZ_kernel_run(kernel_instance());
}

uint32_t kernel_checksum(void) {
    return Z_kernelZ_kernel_checksum(kernel_instance());
}

void bento_wasm2c_trap(wasm_rt_trap_t code) {
    fprintf(stderr, "wasm2c: %s trapped: %s\n", kernel_name, wasm_rt_strerror(code));
    bento_exit(BENTO_EXIT_TRAP);
}
