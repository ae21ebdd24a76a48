/* badbox: four faults, each contained in its box and reported to the host as an error code,
 * with a call to the healthy counter box after each to show it keeps its state. */
#include <stdio.h>

#include "bento_host.h"

/* Lands 1 GiB past the writer's table: far outside its 64 KiB linear memory. */
#define FAR_INDEX 0x10000000u
/* Far more than the deep box's 4 KiB stack holds. */
#define TOO_DEEP 1000000u

static void report(const char *call, int32_t result) {
    if (result < 0) {
        printf("%s = %ld (%s)\n", call, (long)result, bento_box_error_name(result));
    } else {
        printf("%s = %ld\n", call, (long)result);
    }
}

/* Exported to the liar box; the glue only calls it with text inside the box's memory. */
int32_t log_line(const uint8_t *text, size_t len) {
    printf("  %.*s\n", (int)len, (const char *)text);
    return (int32_t)len;
}

int main(void) {
    printf("badbox: four faulty boxes and a healthy counter\n");
    report("count()", count());

    printf("-- a wasm box stores outside its memory\n");
    report("store(3, 7)", store(3, 7));
    report("store(FAR_INDEX, 7)", store(FAR_INDEX, 7));
    report("count()", count());
    report("store(3, 7)", store(3, 7)); /* restarted on this call, and works again */

    printf("-- a native box overflows its stack\n");
    report("recurse(10)", recurse(10));
    report("recurse(TOO_DEEP)", recurse(TOO_DEEP));
    report("count()", count());
    report("recurse(10)", recurse(10));

    printf("-- a native box passes the host a pointer to host RAM\n");
    report("log_host_memory()", log_host_memory());
    report("count()", count());

    printf("-- a held box divides by zero, then is called again\n");
    report("percent(1, 4)", percent(1, 4));
    report("percent(1, 0)", percent(1, 0));
    report("percent(1, 4)", percent(1, 4));
    report("count()", count());

    static const struct {
        const char *name;
        bento_box_t *box;
    } boxes[] = {
        {"counter", &bento_box_counter}, {"writer", &bento_box_writer}, {"deep", &bento_box_deep},
        {"liar", &bento_box_liar},       {"ratio", &bento_box_ratio},
    };
    printf("-- box      state   faults\n");
    for (size_t i = 0; i < sizeof boxes / sizeof boxes[0]; i++) {
        printf("   %-8s %-7s %lu\n", boxes[i].name, bento_box_state_name(bento_box_state(boxes[i].box)),
               (unsigned long)bento_box_faults(boxes[i].box));
    }
    return 0;
}
