/* hello: the host calls into two wasm boxes, gets an error code back when one aborts, and calls
 * it again once the runtime has restarted it. */
#include <stdio.h>

#include "bento_host.h"

/* Any negative code of our own: the runtime hands it back unchanged. */
#define GIVE_UP_CODE (-42)

int main(void) {
    printf("hello: host on %s\n", BENTO_BOARD_NAME);

    /* ping returns i32, not err: if the box faulted, the system would stop, so only call
     * non-err functions that cannot fail. */
    printf("ping(20) = %ld\n", (long)ping(20));

    printf("greet() = %ld\n", (long)greet());
    printf("greet() = %ld\n", (long)greet());

    int32_t err = give_up(GIVE_UP_CODE);
    printf("give_up(%d) = %ld (%s)\n", GIVE_UP_CODE, (long)err, bento_box_error_name(err));
    /* "uninit": the box restarts (is initialised again) on its next call. */
    printf("greeter box: %s, %lu fault(s)\n", bento_box_state_name(bento_box_state(&bento_box_greeter)),
           (unsigned long)bento_box_faults(&bento_box_greeter));

    /* The restart re-ran the box's start-up code, so its count starts again at 1. */
    printf("greet() = %ld\n", (long)greet());
    printf("greeter box: %s\n", bento_box_state_name(bento_box_state(&bento_box_greeter)));
    return 0;
}
