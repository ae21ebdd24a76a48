/* The deep box (native): recurses as deep as it is asked. Its 4 KiB stack holds a couple of
 * hundred levels; past that the stack runs into the MPU's no-access area below it, and the
 * runtime reports a stack overflow (-25) instead of letting it overwrite memory below. */
#include "bento_deep.h"

static uint32_t descend(uint32_t depth) {
    /* Read back after the call, this volatile local keeps each level's frame alive across the
     * call, so the compiler can turn the recursion neither into a loop nor into a tail call. */
    volatile uint32_t level = depth;
    if (depth == 0) {
        return 0;
    }
    return descend(depth - 1) + 1 + (level - depth);
}

int32_t recurse(uint32_t depth) {
    return (int32_t)descend(depth);
}
