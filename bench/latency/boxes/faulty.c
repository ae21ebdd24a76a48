#include "bento_faulty.h"

/* The host's RAM (0x20000000 on the MPS2 boards, beyond the box's region on every board): the
 * MPU refuses an unprivileged read there. */
int32_t native_fault(uint32_t x) { return (int32_t)(*(volatile uint32_t *)(uintptr_t)(0x20000000u + (x & 4u))); }
