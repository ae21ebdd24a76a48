/* Times one benchmark kernel: the board's counter is read around kernel_run only. Under QEMU
 * with -icount shift=0 a counter tick (25 MHz) is 40 instructions, so the figure is a
 * repeatable instruction count, not wall time. With BENCH_IN_BOX the kernel is a box and the
 * three functions are its exports, called through the box boundary. With BENCH_GROWS (a kernel
 * that allocates, in a Wasm box) the box also exports the size of its linear memory, printed
 * before kernel_init and after kernel_run: the bench checks that the memory grew. */
#include <stdint.h>
#include <stdio.h>

#include "bento/counter.h"
#ifdef BENCH_IN_BOX
#include "bento_host.h"
#else
#include "kernel.h"
#endif

int main(void) {
#ifdef BENCH_GROWS
    const uint32_t pages = kernel_memory_pages();
#endif
    kernel_init();
    const uint32_t start = bento_counter_read();
    kernel_run();
    const uint32_t ticks = bento_counter_read() - start;
    printf("bench ticks=%lu checksum=%08lx\n", (unsigned long)ticks, (unsigned long)kernel_checksum());
#ifdef BENCH_GROWS
    printf("bench memory pages=%lu->%lu\n", (unsigned long)pages, (unsigned long)kernel_memory_pages());
#endif
    return 0;
}
