/* mixed: each sample goes host -> sensor (native box) -> filter (wasm box), and both boxes log
 * through the host's log_line on the way, so the UART shows every hop. */
#include <stdio.h>

#include "bento_host.h"

#define TICKS 6

/* Exported to both boxes. The glue has already checked that text[0..len) lies in the calling
 * box's memory and copied it here, so the host can read it safely. */
int32_t log_line(const uint8_t *text, size_t len) {
    printf("  %.*s\n", (int)len, (const char *)text);
    return (int32_t)len;
}

int main(void) {
    for (uint32_t tick = 0; tick < TICKS; tick++) {
        printf("host: sample(%lu) -> sensor\n", (unsigned long)tick);
        const int32_t value = sample(tick);
        if (value < 0) {
            printf("host: sample(%lu) failed: %ld (%s)\n", (unsigned long)tick, (long)value, bento_box_error_name(value));
            return 1;
        }
        printf("host: sample(%lu) = %ld\n", (unsigned long)tick, (long)value);
    }
    printf("mixed: %d samples, faults: sensor %lu, filter %lu\n", TICKS, (unsigned long)bento_box_faults(&bento_box_sensor),
           (unsigned long)bento_box_faults(&bento_box_filter));
    return 0;
}
