/* ARMv7-M PMSAv7 memory protection unit. Regions are power-of-two sized (>= 32 bytes) and
 * aligned to their size; a higher region number wins where regions overlap. */
#ifndef BENTO_MPU_H
#define BENTO_MPU_H

#include <stdint.h>

#include "bento/scb.h"

/* The registers, for the driver and for code that asks what the MPU allows (fault/unaligned.c). */
#define MPU_TYPE BENTO_REG(0xE000ED90u)
#define MPU_CTRL BENTO_REG(0xE000ED94u)
#define MPU_RNR  BENTO_REG(0xE000ED98u)
#define MPU_RBAR BENTO_REG(0xE000ED9Cu)
#define MPU_RASR BENTO_REG(0xE000EDA0u)
#define MPU_CTRL_ENABLE     (1u << 0)
#define MPU_CTRL_PRIVDEFENA (1u << 2)

/* RASR access permissions (AP field, bits 26:24). */
#define MPU_AP_NONE       (0u << 24)
#define MPU_AP_PRIV_RW    (1u << 24)
#define MPU_AP_PRIV_RW_RO (2u << 24) /* privileged read-write, unprivileged read-only */
#define MPU_AP_RW         (3u << 24)
#define MPU_AP_PRIV_RO    (5u << 24)
#define MPU_AP_RO         (6u << 24)
#define MPU_XN            (1u << 28)
/* Normal memory, write-back cacheable (TEX=0, C=1, B=1), not shareable. */
#define MPU_NORMAL        ((1u << 17) | (1u << 16))

uint32_t bento_mpu_region_count(void);
/* size_log2 >= 5; base must be aligned to 1 << size_log2. */
void bento_mpu_set_region(uint32_t region, uint32_t base, uint32_t size_log2, uint32_t attributes);
void bento_mpu_clear_region(uint32_t region);
/* Turns the MPU on; privileged code keeps the default memory map where no region applies. */
void bento_mpu_enable(void);
void bento_mpu_disable(void);
/* Smallest n with (1 << n) >= size, at least 5. */
uint32_t bento_mpu_size_log2(uint32_t size);

#endif
