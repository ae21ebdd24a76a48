/* Host protection set up at reset, on boards with an MPU: code memory becomes read-only and a
 * no-access guard sits below the main stack, so an overflow faults at once instead of running
 * into whatever the bus maps below RAM (on the MPS2 boards, memory that reads as zero). */
#include "bento/mpu.h"

extern char __bento_code_memory_start[];
extern char __bento_code_memory_size[];
extern char __bento_stack_guard[];
extern char __bento_stack_guard_size[];

/* The host owns the two lowest-priority regions; boxes use the ones above. */
#define REGION_CODE  0u
#define REGION_GUARD 1u

void bento_host_protect(void) {
    if (bento_mpu_region_count() < 2) {
        return;
    }
    /* All of code memory, a bootloader before the image included: the board's region is a
     * power of two at an aligned address, where the image alone may not be. */
    uint32_t code = (uint32_t)__bento_code_memory_start;
    uint32_t code_log2 = bento_mpu_size_log2((uint32_t)__bento_code_memory_size);
    if (code_log2 < 32 && (code & ((1u << code_log2) - 1u)) == 0) {
        /* Read-only for everyone: unprivileged boxes execute from it too. */
        bento_mpu_set_region(REGION_CODE, code, code_log2, MPU_AP_RO | MPU_NORMAL);
    }
    uint32_t guard_log2 = bento_mpu_size_log2((uint32_t)__bento_stack_guard_size);
    bento_mpu_set_region(REGION_GUARD, (uint32_t)__bento_stack_guard, guard_log2, MPU_AP_NONE | MPU_XN | MPU_NORMAL);
    bento_mpu_enable();
}
