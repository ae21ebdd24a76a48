/* Prints instructions per KiB (virtual time under --icount: one instruction a nanosecond) of
 * newlib-nano's functions (here, in the host) and the box C library's (in the box; the cost of
 * the box call itself, measured with n = 0, taken off). */
#include <stdio.h>

#include "bento/counter.h"
#include "bento_host.h"
#include "kernel.h"

static uint32_t instructions(uint32_t ticks) {
    return (uint32_t)((uint64_t)ticks * 1000000000u / BENTO_COUNTER_HZ);
}

static uint32_t host_cost(int32_t kind, uint32_t src, uint32_t dst, uint32_t n) {
    uint32_t t0 = bento_counter_read();
    kernel(kind, src, dst, n);
    return instructions(bento_counter_read() - t0);
}

static uint32_t box_cost(int32_t kind, uint32_t src, uint32_t dst, uint32_t n) {
    uint32_t t0 = bento_counter_read();
    box_run(kind, src, dst, n);
    return instructions(bento_counter_read() - t0);
}

int main(void) {
    static const char *const names[] = {"memcpy", "memmove (forwards)", "memmove (backwards, overlapping)", "memset"};
    static const struct { uint32_t src, dst; const char *what; } cases[] = {
        {0, 0, "aligned"}, {1, 0, "source +1"}, {0, 3, "destination +3"}, {1, 1, "both +1"},
    };
    box_run(0, 0, 0, 0); /* the box's start-up, out of the way */
    printf("| function | alignment | newlib-nano (host) | box-libc (box) | ratio |\n|---|---|---|---|---|\n");
    for (int32_t kind = 0; kind < 4; kind++) {
        for (unsigned c = 0; c < sizeof cases / sizeof cases[0]; c++) {
            if (kind == 3 && cases[c].src != 0) {
                continue; /* memset has no source */
            }
            uint32_t kib = SPAN * REPEAT / 1024u;
            uint32_t host = host_cost(kind, cases[c].src, cases[c].dst, SPAN) - host_cost(kind, cases[c].src, cases[c].dst, 0);
            uint32_t box = box_cost(kind, cases[c].src, cases[c].dst, SPAN) - box_cost(kind, cases[c].src, cases[c].dst, 0);
            printf("| %s | %s | %lu | %lu | %lu.%02lu |\n", names[kind], cases[c].what, (unsigned long)(host / kib), (unsigned long)(box / kib),
                   (unsigned long)(box * 100u / host / 100u), (unsigned long)(box * 100u / host % 100u));
        }
    }
    return 0;
}
