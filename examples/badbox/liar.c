/* The liar box (native): asks the host to log memory that is not the box's. The glue checks
 * every pointer argument against the caller's own memory before the host function runs, so
 * the host never reads it and the call returns BENTO_E_RANGE (-4) to the box. */
#include <string.h>

#include "bento_liar.h"

/* The start of board RAM on the MPS2 boards: the host's stack, never a box's memory. */
#define HOST_RAM ((const uint8_t *)0x20000000u)

int32_t log_host_memory(void) {
    /* First an honest call, to show log_line itself works: the text is copied to this box's
     * stack, its own memory. */
    static const char honest[] = "liar: logging a line from my own stack";
    char line[sizeof honest - 1];
    memcpy(line, honest, sizeof line);
    int32_t err = log_line((const uint8_t *)line, sizeof line);
    if (err < 0) {
        return err;
    }

    /* Then the lie: the error comes back to this box, which hands it on to its caller. */
    return log_line(HOST_RAM, 16);
}
