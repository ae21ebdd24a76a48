/* The host case of the latency benchmark in an image without boxes (see ../latency.h). */
#include "latency.h"

LATENCY_CASE(host)

int main(void) {
    latency_start();
    latency_sweep("host", latency_case_host, host_work, 80u, 0u, 1u, 300u);
    printf("latency done\n");
    return 0;
}
