/* The counter box: the healthy one. Its count lives in its own memory, which no other box's
 * fault can reach, so it keeps counting through all of them. */
#include "bento_counter.h"

static int32_t calls;

int32_t count(void) {
    return ++calls;
}
