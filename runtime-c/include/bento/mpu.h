/* The memory protection unit, whichever the board has: PMSAv7 (ARMv7-M: regions are a power of
 * two >= 32 bytes, aligned to their size, and may overlap, the higher number winning) or PMSAv8
 * (ARMv8-M: regions are base and limit at 32-byte granularity and must not overlap). The board
 * picks the driver (runtime-c/mpu/pmsav7.c or pmsav8.c); callers see one interface. */
#ifndef BENTO_MPU_H
#define BENTO_MPU_H

#include <stdint.h>

#include "bento/scb.h"

/* Registers common to both: type (region count), control, region number. */
#define MPU_TYPE BENTO_REG(0xE000ED90u)
#define MPU_CTRL BENTO_REG(0xE000ED94u)
#define MPU_RNR  BENTO_REG(0xE000ED98u)
#define MPU_CTRL_ENABLE     (1u << 0)
#define MPU_CTRL_PRIVDEFENA (1u << 2)

/* Abstract region attributes; each driver turns them into its own encoding.
 * Access: exactly one of these. */
#define BENTO_MPU_RW       0x1u /* read-write for everyone */
#define BENTO_MPU_RO       0x2u /* read-only for everyone */
#define BENTO_MPU_NONE     0x3u /* no access for unprivileged code; privileged code may not write
                                 * (PMSAv7: nor read; PMSAv8 has no "no access" encoding, so a
                                 * privileged read succeeds there) */
#define BENTO_MPU_ACCESS_MASK 0x3u
/* Flags. */
#define BENTO_MPU_XN       0x4u /* execute-never */
#define BENTO_MPU_NORMAL   0x8u /* normal memory, write-back cacheable, not shareable */

uint32_t bento_mpu_region_count(void);
/* Programs region `region` to cover [base, base + size). PMSAv7 rounds size up to a power of two
 * (>= 32) and needs base aligned to it; PMSAv8 rounds it up to a multiple of 32 and needs base
 * 32-byte aligned. Returns 0, or -1 (and leaves the region alone) if it cannot be represented. */
int bento_mpu_set_region(uint32_t region, uint32_t base, uint32_t size, uint32_t attributes);
void bento_mpu_clear_region(uint32_t region);
/* Turns the MPU on; privileged code keeps the default memory map where no region applies. */
void bento_mpu_enable(void);
void bento_mpu_disable(void);
/* May code of this privilege read (or write) every byte of [address, address + length)? As the
 * MPU would answer now: where no region holds an address, only privileged code (PRIVDEFENA); with
 * the MPU off, everyone. Used by the unaligned-access emulation (fault/unaligned.c). */
int bento_mpu_allows(uint32_t address, uint32_t length, int write, int privileged);

#endif
