/* Times one benchmark kernel: the board's counter is read around kernel_run only. Under QEMU
 * with -icount shift=0 a counter tick (25 MHz) is 40 instructions, so the figure is a
 * repeatable instruction count, not wall time. With BENCH_IN_BOX the kernel is a box and the
 * three functions are its exports, called through the box boundary. */
#include <stdint.h>
#include <stdio.h>

#include "bento/counter.h"
#ifdef BENCH_IN_BOX
#include "bento_host.h"
#else
#include "kernel.h"
#endif

int main(void) {
    kernel_init();
    const uint32_t start = bento_counter_read();
    kernel_run();
    const uint32_t ticks = bento_counter_read() - start;
    printf("bench ticks=%lu checksum=%08lx\n", (unsigned long)ticks, (unsigned long)kernel_checksum());
    return 0;
}
