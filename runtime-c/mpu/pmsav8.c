/* PMSAv8 MPU driver (ARMv8-M): regions are a base and an inclusive limit at 32-byte granularity
 * (RBAR/RLAR), their memory type an index into MAIR0. Regions must not overlap: an access that
 * two enabled regions hold faults, privileged or not. On a core with the Security Extension this
 * is the MPU of the state the code runs in (bento runs Secure: the Secure MPU). */
#include "bento/mpu.h"

#include "bento/scb.h"

#define MPU_RBAR  BENTO_REG(0xE000ED9Cu)
#define MPU_RLAR  BENTO_REG(0xE000EDA0u)
#define MPU_MAIR0 BENTO_REG(0xE000EDC0u)
/* RBAR: SH[4:3] (0: not shareable), AP[2:1], XN[0]. */
#define RBAR_AP_PRIV_RW (0u << 1)
#define RBAR_AP_RW      (1u << 1)
#define RBAR_AP_PRIV_RO (2u << 1)
#define RBAR_AP_RO      (3u << 1)
#define RBAR_XN         (1u << 0)
/* RLAR: AttrIndx[3:1], EN[0]. */
#define RLAR_ENABLE     (1u << 0)
#define ATTR_NORMAL     0u /* MAIR0 Attr0: normal memory, write-back, read/write-allocate */
#define ATTR_DEVICE     1u /* MAIR0 Attr1: Device-nGnRnE */
#define MAIR0_VALUE     (0xFFu | (0x00u << 8))

uint32_t bento_mpu_region_count(void) {
    return (MPU_TYPE >> 8) & 0xffu;
}

int bento_mpu_set_region(uint32_t region, uint32_t base, uint32_t size, uint32_t attributes) {
    if (size == 0) size = 32;
    const uint32_t limit = base + ((size + 31u) & ~31u) - 1u;
    if ((base & 31u) != 0 || limit < base) return -1;
    /* No "no access" encoding exists: privileged read-only, and never executable. */
    static const uint32_t ap[4] = {RBAR_AP_PRIV_RO, RBAR_AP_RW, RBAR_AP_RO, RBAR_AP_PRIV_RO};
    const uint32_t access = attributes & BENTO_MPU_ACCESS_MASK;
    const uint32_t xn = (attributes & BENTO_MPU_XN) || access == BENTO_MPU_NONE ? RBAR_XN : 0u;
    const uint32_t attr = (attributes & BENTO_MPU_NORMAL) ? ATTR_NORMAL : ATTR_DEVICE;
    MPU_RNR = region;
    MPU_RLAR = 0; /* off while it changes, so it never holds half of two settings */
    MPU_RBAR = base | ap[access] | xn;
    MPU_RLAR = (limit & ~31u) | (attr << 1) | RLAR_ENABLE;
    return 0;
}

void bento_mpu_clear_region(uint32_t region) {
    MPU_RNR = region;
    MPU_RLAR = 0;
}

void bento_mpu_enable(void) {
    MPU_MAIR0 = MAIR0_VALUE;
    MPU_CTRL = MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA;
    bento_barrier();
}

void bento_mpu_disable(void) {
    bento_barrier();
    MPU_CTRL = 0;
}

/* How many enabled regions hold `address` (more than one is a fault), and the last one's AP. */
static uint32_t regions_holding(uint32_t address, uint32_t *ap) {
    const uint32_t regions = bento_mpu_region_count();
    uint32_t hits = 0;
    for (uint32_t r = 0; r < regions; r++) {
        MPU_RNR = r;
        const uint32_t rlar = MPU_RLAR;
        if (!(rlar & RLAR_ENABLE)) continue;
        const uint32_t rbar = MPU_RBAR;
        if (address < (rbar & ~31u) || address > (rlar | 31u)) continue;
        hits++;
        *ap = (rbar >> 1) & 3u;
    }
    return hits;
}

static int ap_allows(uint32_t ap, int write, int privileged) {
    if (privileged) return write ? ap <= 1u : 1;
    return write ? ap == 1u : (ap == 1u || ap == 3u);
}

int bento_mpu_allows(uint32_t address, uint32_t length, int write, int privileged) {
    const uint32_t last = address + length - 1u;
    if (length == 0 || last < address) return 0;
    const uint32_t ctrl = MPU_CTRL;
    if (!(ctrl & MPU_CTRL_ENABLE)) return 1;
    const uint32_t saved_rnr = MPU_RNR;
    int ok = 1;
    /* Regions are 32-byte granular: one probe per 32-byte block suffices. */
    for (uint32_t at = address; ok; at = (at | 31u) + 1u) {
        uint32_t ap = 0;
        const uint32_t hits = regions_holding(at, &ap);
        ok = hits == 1 ? ap_allows(ap, write, privileged) : hits == 0 && privileged && (ctrl & MPU_CTRL_PRIVDEFENA);
        if ((at | 31u) >= last) break;
    }
    MPU_RNR = saved_rnr;
    return ok;
}
