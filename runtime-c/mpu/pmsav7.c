/* PMSAv7 MPU driver (ARMv7-M): program, enable and query regions. */
#include "bento/mpu.h"

#include "bento/scb.h"

#define MPU_RBAR BENTO_REG(0xE000ED9Cu)
#define MPU_RASR BENTO_REG(0xE000EDA0u)
#define RASR_ENABLE (1u << 0)
/* RASR access permissions (AP field, bits 26:24). */
#define AP_NONE (0u << 24)
#define AP_PRIV_RW (1u << 24)
#define AP_RW (3u << 24)
#define AP_RO (6u << 24)
#define RASR_XN (1u << 28)
/* Normal memory, write-back cacheable (TEX=0, C=1, B=1), not shareable. */
#define RASR_NORMAL ((1u << 17) | (1u << 16))

uint32_t bento_mpu_region_count(void) {
    return (MPU_TYPE >> 8) & 0xffu;
}

static uint32_t size_log2(uint32_t size) {
    uint32_t n = 5;
    while (n < 32 && (1u << n) < size) {
        n++;
    }
    return n;
}

static uint32_t rasr_of(uint32_t attributes) {
    static const uint32_t ap[4] = {AP_NONE, AP_RW, AP_RO, AP_NONE};
    return ap[attributes & BENTO_MPU_ACCESS_MASK] | ((attributes & BENTO_MPU_XN) ? RASR_XN : 0u) |
           ((attributes & BENTO_MPU_NORMAL) ? RASR_NORMAL : 0u);
}

/*
 * A region of 2^n bytes (n >= 8) is eight subregions, each of which can be disabled (RASR.SRD). A
 * block that is not a naturally aligned power of two is whole subregions of the smallest region
 * whose aligned window holds it: the plan (src/plan/mpu-regions.ts) shapes blocks so. Returns the
 * RASR size and SRD fields and sets the region's base, or returns 0 when no region holds the
 * block exactly.
 */
static uint32_t shape(uint32_t base, uint32_t size, uint32_t *region_base) {
    for (uint32_t n = size_log2(size); n < 32; n++) {
        const uint32_t window = ~((1u << n) - 1u);
        if ((base & window) != ((base + size - 1u) & window)) continue;
        *region_base = base & window;
        if (size == (1u << n) && (base & ~window) == 0) return (n - 1u) << 1;
        if (n < 8) continue;
        const uint32_t sub = 1u << (n - 3);
        if ((base | size) & (sub - 1u)) continue;
        const uint32_t first = (base & ~window) >> (n - 3), count = size >> (n - 3);
        const uint32_t enabled = ((1u << count) - 1u) << first;
        return ((~enabled & 0xffu) << 8) | ((n - 1u) << 1);
    }
    return 0;
}

int bento_mpu_set_region(uint32_t region, uint32_t base, uint32_t size, uint32_t attributes) {
    uint32_t region_base = 0;
    const uint32_t fields = size == 0 ? 0 : shape(base, size, &region_base);
    if (fields == 0) return -1;
    MPU_RNR = region;
    MPU_RBAR = region_base;
    MPU_RASR = rasr_of(attributes) | fields | RASR_ENABLE;
    return 0;
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

/* The access permission (RASR AP) of the highest-numbered enabled region holding `address`;
 * `matched` says whether any does. */
static uint32_t region_ap(uint32_t address, int *matched) {
    const uint32_t regions = bento_mpu_region_count();
    uint32_t ap = 0;
    *matched = 0;
    for (uint32_t r = 0; r < regions; r++) {
        MPU_RNR = r;
        const uint32_t rasr = MPU_RASR, rbar = MPU_RBAR;
        if (!(rasr & 1u)) continue;
        const uint32_t n = ((rasr >> 1) & 31u) + 1u;
        const uint32_t offset = address - (rbar & ~31u);
        if (n < 32 && (offset >> n) != 0) continue;
        if (n >= 8 && ((rasr >> 8) & (1u << ((offset >> (n - 3)) & 7u)))) continue;
        *matched = 1;
        ap = (rasr >> 24) & 7u;
    }
    return ap;
}

static int ap_allows(uint32_t ap, int write, int privileged) {
    if (privileged) return write ? (ap >= 1 && ap <= 3) : (ap != 0 && ap != 4);
    return write ? ap == 3 : (ap == 2 || ap == 3 || ap == 6 || ap == 7);
}

int bento_mpu_allows(uint32_t address, uint32_t length, int write, int privileged) {
    const uint32_t last = address + length - 1u;
    if (length == 0 || last < address) return 0;
    const uint32_t ctrl = MPU_CTRL;
    if (!(ctrl & MPU_CTRL_ENABLE)) return 1;
    const uint32_t saved_rnr = MPU_RNR;
    int ok = 1;
    /* Regions are 32-byte aligned multiples of 32 bytes: one probe per 32-byte block suffices. */
    for (uint32_t at = address; ok; at = (at | 31u) + 1u) {
        int matched;
        const uint32_t ap = region_ap(at, &matched);
        ok = matched ? ap_allows(ap, write, privileged) : (privileged && (ctrl & MPU_CTRL_PRIVDEFENA));
        if ((at | 31u) >= last) break;
    }
    MPU_RNR = saved_rnr;
    return ok;
}
