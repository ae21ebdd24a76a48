/* PMSAv7 MPU driver: program, enable and query regions. */
#include "bento/mpu.h"

#include "bento/scb.h"

#define RASR_ENABLE     (1u << 0)

uint32_t bento_mpu_region_count(void) {
    return (MPU_TYPE >> 8) & 0xffu;
}

void bento_mpu_set_region(uint32_t region, uint32_t base, uint32_t size_log2, uint32_t attributes) {
    MPU_RNR = region;
    MPU_RBAR = base & ~0x1fu;
    MPU_RASR = attributes | ((size_log2 - 1u) << 1) | RASR_ENABLE;
}

void bento_mpu_clear_region(uint32_t region) {
    MPU_RNR = region;
    MPU_RASR = 0;
}

void bento_mpu_enable(void) {
    MPU_CTRL = MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA;
    bento_barrier();
}

void bento_mpu_disable(void) {
    bento_barrier();
    MPU_CTRL = 0;
}

uint32_t bento_mpu_size_log2(uint32_t size) {
    uint32_t n = 5;
    while (n < 32 && (1u << n) < size) {
        n++;
    }
    return n;
}
