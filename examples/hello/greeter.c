/* The greeter box: prints from inside the box, and aborts on request. Its greeting count lives
 * in the box's own memory, so a restart (which re-initialises that memory) starts it again. */
#include <stdio.h>

#include "bento_greeter.h"

static int32_t greetings;

int32_t greet(void) {
    greetings++;
    printf("greeter: hello #%ld from inside a wasm box\n", (long)greetings);
    /* The box's stdout goes to the UART through WASI; flush so the line comes out before the
     * host prints its next one. */
    fflush(stdout);
    return greetings;
}

int32_t give_up(int32_t code) {
    /* An abort code must be negative: that is how the caller tells it from a result. */
    __box_abort(code < 0 ? code : BENTO_E_ABORTED);
}
