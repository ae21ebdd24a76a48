/* The ping box: answers ping(n) with the n-th Fibonacci number, so the host can tell the
 * answer was computed in the box rather than echoed. */
#include "bento_ping.h"

int32_t ping(int32_t n) {
    uint32_t a = 0, b = 1;
    for (int32_t i = 0; i < n; i++) {
        uint32_t next = a + b; /* unsigned: wraps past fib(47) instead of being undefined */
        a = b;
        b = next;
    }
    return (int32_t)a;
}
