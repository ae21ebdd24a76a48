/* The unaligned-access emulation (fault/unaligned.c) and what it tells the fault policy. */
#ifndef BENTO_UNALIGNED_H
#define BENTO_UNALIGNED_H

#include <stdint.h>

/* Set when the emulation refused an access because the faulting code may not touch
 * [address, address + length): the UsageFault that follows is a memory fault at that address.
 * Cleared on every emulated access. */
struct bento_unaligned_refusal {
    uint32_t refused;
    uint32_t address;
};

extern volatile struct bento_unaligned_refusal bento_unaligned_refusal;

#endif
