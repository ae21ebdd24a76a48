/* The writer box: stores into a small table without checking the index, the classic bug. A
 * large index lands far outside the box's linear memory, and the bounds check traps (-21)
 * instead of letting the store reach someone else's memory. */
#include "bento_writer.h"

#define CELLS 16

/* volatile: nothing in this demo reads the cells back, and the compiler must keep the store. */
static volatile int32_t cells[CELLS];

int32_t store(uint32_t index, int32_t value) {
    cells[index] = value; /* deliberately unchecked: index < CELLS is the caller's promise */
    return 0;
}
