/* The cases of the latency benchmark in an image with boxes (see ../latency.h and bento.toml). */
#include "bento_host.h"
#include "latency.h"

LATENCY_CASE(host)
LATENCY_CASE(wasm)
LATENCY_CASE(native)
LATENCY_CASE(boundary)
LATENCY_CASE(fault)
LATENCY_CASE(budget)

#define LATENCY_FAULT_FIRST 400u
#define LATENCY_FAULT_STRIDE 8u
#define LATENCY_BUDGET_FIRST 1200u
#define LATENCY_BUDGET_STRIDE 12u

int32_t host_echo(uint32_t x) { return (int32_t)x; }

int main(void) {
    latency_start();
    /* A first call of each initialises the box: keep it out of the samples. */
    wasm_spin(1u);
    native_spin(1u);
    native_call(1u);
    latency_sweep("host", latency_case_host, host_work, 80u, 0u, 1u, 300u);
    /* Raises from 1,000 instructions into the call on: the box's loop, not its entry. */
    latency_sweep("wasm", latency_case_wasm, wasm_spin, 1000u, 1000u, 1u, 300u);
    latency_sweep("native", latency_case_native, native_spin, 1000u, 1000u, 1u, 300u);
    latency_sweep("boundary", latency_case_boundary, (latency_action_t)native_call, 1u, 0u, 1u, 1200u);
    /* The box is restarted (its RAM cleared) before the call faults, and the abort lines are
     * printed after it: each sample is over 10,000 instructions, so these two step by more.
     * The windows hold the fault, and the budget's end, on every board. */
    latency_sweep("fault", latency_case_fault, (latency_action_t)native_fault, 0u, LATENCY_FAULT_FIRST, LATENCY_FAULT_STRIDE, 250u);
    latency_sweep("budget", latency_case_budget, (latency_action_t)native_overrun, 0u, LATENCY_BUDGET_FIRST, LATENCY_BUDGET_STRIDE, 250u);
    printf("latency done\n");
    return 0;
}
