/* The host of examples/small-part: readings go through the parse and filter boxes; a smoothed
 * reading above 30.000 is noted by the alarm box, whose log fills up after a few. */
#include <stdio.h>
#include <string.h>

#include "bento_host.h"

static const char *const readings[] = {"21.5", "22.25", "23", "x7", "31.75", "35.5", "38", "36.125", "40", "41.5", "39.75", "42", "12"};

int main(void) {
    printf("small-part: three Wasm boxes and the host on %s\n", BENTO_BOARD_NAME);
    for (size_t i = 0; i < sizeof readings / sizeof readings[0]; i++) {
        const char *text = readings[i];
        const int32_t milli = parse_milli((const uint8_t *)text, strlen(text));
        if (milli < 0) {
            printf("%-7s parse error %ld\n", text, (long)milli);
            continue;
        }
        const int32_t mean = smooth(milli);
        printf("%-7s %ld, mean of the last four %ld", text, (long)milli, (long)mean);
        if (mean > 30000) {
            const int32_t logged = note(mean);
            if (logged < 0) printf(", alarm log full (%ld)", (long)logged);
            else printf(", alarm %ld logged", (long)logged);
        }
        printf("\n");
    }
    return 0;
}
