/* Host protection set up at reset, on boards with an MPU: code memory becomes read-only and a
 * no-access guard sits below the main stack, so an overflow faults at once instead of running
 * into whatever the bus maps below RAM (on the MPS2 boards, memory that reads as zero). On PMSAv8,
 * which has no "no access" encoding, the guard is privileged read-only: the host's stack writes
 * fault, and boxes may not touch it at all. */
#include "bento/mpu.h"

extern char __bento_code_memory_start[];
extern char __bento_code_memory_size[];
extern char __bento_stack_guard[];
extern char __bento_stack_guard_size[];

/* The host owns the two lowest regions; boxes use the ones above. The two never overlap (PMSAv8
 * forbids it): code memory and RAM are different board memories, and the plan keeps boxes'
 * regions above the host's RAM, which holds the guard. */
#define REGION_CODE  0u
#define REGION_GUARD 1u

void bento_host_protect(void) {
    if (bento_mpu_region_count() < 2) {
        return;
    }
    /* All of code memory, a bootloader before the image included: read-only for everyone,
     * unprivileged boxes execute from it too. Skipped where the driver cannot describe it
     * (PMSAv7: not a power of two at an aligned address). */
    (void)bento_mpu_set_region(REGION_CODE, (uint32_t)__bento_code_memory_start, (uint32_t)__bento_code_memory_size,
                               BENTO_MPU_RO | BENTO_MPU_NORMAL);
    (void)bento_mpu_set_region(REGION_GUARD, (uint32_t)__bento_stack_guard, (uint32_t)__bento_stack_guard_size,
                               BENTO_MPU_NONE | BENTO_MPU_XN | BENTO_MPU_NORMAL);
    bento_mpu_enable();
}
