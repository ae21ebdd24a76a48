/* Emulation of the unaligned accesses the core refuses.
 *
 * Wasm lets any load or store take any address; its alignment field is only a hint. Compiled
 * Wasm moves floats with VLDR/VSTR (and LLVM may merge neighbouring accesses into VLDM/VSTM,
 * LDRD/STRD or LDM/STM) when the hint says the address is aligned, because going through
 * integer registers costs two or three instructions for one. ARMv7-M takes LDR/STR at any
 * address but raises UsageFault UNALIGNED for those, so this handler performs the access byte by
 * byte, with the permissions of the code that faulted, and resumes after the instruction. An
 * access its code may not make, or an instruction it does not know, goes on to the fault report
 * (or the box's abort) as before. Only Thread mode is emulated: handlers never take this path. */
#include <stdint.h>

#include "bento/mpu.h"
#include "bento/scb.h"
#include "bento/unaligned.h"

#define UFSR_MASK 0xffff0000u

/* What the entry code saved below the exception frame: the FP registers (when there is an FPU),
 * a pad word, r4-r11 and EXC_RETURN. Frame: r0-r3, r12, lr, pc, xpsr, then s0-s15 if extended. */
struct saved_regs {
#if defined(__ARM_FP)
    uint32_t s[32];
#endif
    uint32_t pad;
    uint32_t r4_r11[8];
    uint32_t exc_return;
};

/* Up to 16 words move at once (LDM with 16 registers, VLDM with 16 single registers). The
 * decoder lists where each word goes: a core register number, or 32 + an S register. */
#define MAX_WORDS 32
struct transfer {
    uint32_t address;
    uint32_t words;
    uint8_t reg[MAX_WORDS];
    int load;
    /* Base register write-back: -1 for none. */
    int base;
    uint32_t new_base;
    uint32_t length; /* of the instruction: 2 or 4 bytes */
};

struct context {
    uint32_t *frame;
    struct saved_regs *saved;
    int privileged;
    int fp_frame;
};

static int reg_get(const struct context *c, unsigned n, uint32_t *value) {
    if (n <= 3) *value = c->frame[n];
    else if (n <= 11) *value = c->saved->r4_r11[n - 4];
    else if (n == 12) *value = c->frame[4];
    else if (n == 14) *value = c->frame[5];
    else return 0; /* SP and PC never hold an unaligned data address here */
    return 1;
}

static int reg_set(const struct context *c, unsigned n, uint32_t value) {
    if (n <= 3) c->frame[n] = value;
    else if (n <= 11) c->saved->r4_r11[n - 4] = value;
    else if (n == 12) c->frame[4] = value;
    else if (n == 14) c->frame[5] = value;
    else return 0;
    return 1;
}

static int word_get(const struct context *c, unsigned slot, uint32_t *value) {
    if (slot < 32) return reg_get(c, slot, value);
#if defined(__ARM_FP)
    unsigned s = slot - 32;
    *value = (c->fp_frame && s < 16) ? c->frame[8 + s] : c->saved->s[s];
    return 1;
#else
    return 0;
#endif
}

static int word_set(const struct context *c, unsigned slot, uint32_t value) {
    if (slot < 32) return reg_set(c, slot, value);
#if defined(__ARM_FP)
    unsigned s = slot - 32;
    c->saved->s[s] = value;
    /* S0-S15 come back from the exception frame on return when it has them. */
    if (c->fp_frame && s < 16) c->frame[8 + s] = value;
    return 1;
#else
    return 0;
#endif
}

/* VLDR, VSTR, VLDM, VSTM: 1110 110P UDWL Rn | Vd 101s imm8. */
static int decode_vfp(const struct context *c, uint32_t hw1, uint32_t hw2, struct transfer *t) {
    if ((hw1 & 0xfe00u) != 0xec00u || (hw2 & 0x0e00u) != 0x0a00u) return 0;
    const unsigned p = (hw1 >> 8) & 1, u = (hw1 >> 7) & 1, d = (hw1 >> 6) & 1, w = (hw1 >> 5) & 1;
    const unsigned rn = hw1 & 15, vd = hw2 >> 12, imm8 = hw2 & 0xffu, dbl = (hw2 >> 8) & 1;
    uint32_t base;
    if (!reg_get(c, rn, &base)) return 0;
    unsigned count;
    t->load = (hw1 >> 4) & 1;
    t->base = -1;
    if (p == 1 && w == 0) { /* VLDR / VSTR */
        count = 1;
        t->address = u ? base + imm8 * 4u : base - imm8 * 4u;
    } else if (p == 0 && u == 1) { /* increment after */
        count = dbl ? imm8 / 2 : imm8;
        t->address = base;
        if (w) t->base = (int)rn, t->new_base = base + imm8 * 4u;
    } else if (p == 1 && u == 0 && w == 1) { /* decrement before */
        count = dbl ? imm8 / 2 : imm8;
        t->address = base - imm8 * 4u;
        t->base = (int)rn, t->new_base = t->address;
    } else {
        return 0; /* 64-bit register moves, undefined forms */
    }
    const unsigned first = dbl ? 2u * ((d << 4) | vd) : ((vd << 1) | d);
    const unsigned words = dbl ? 2u * count : count;
    if (words == 0 || words > MAX_WORDS || first + words > 32) return 0;
    for (unsigned i = 0; i < words; i++) t->reg[i] = (uint8_t)(32 + first + i);
    t->words = words;
    t->length = 4;
    return 1;
}

/* LDRD, STRD (immediate): 1110 100P U1WL Rn | Rt Rt2 imm8, with P or W set (else it is LDREX). */
static int decode_dual(const struct context *c, uint32_t hw1, uint32_t hw2, struct transfer *t) {
    if ((hw1 & 0xfe40u) != 0xe840u) return 0;
    const unsigned p = (hw1 >> 8) & 1, u = (hw1 >> 7) & 1, w = (hw1 >> 5) & 1;
    if (!p && !w) return 0;
    const unsigned rn = hw1 & 15, rt = hw2 >> 12, rt2 = (hw2 >> 8) & 15;
    if (rt >= 13 || rt2 >= 13) return 0;
    uint32_t base;
    if (!reg_get(c, rn, &base)) return 0;
    const uint32_t offset = (hw2 & 0xffu) * 4u;
    const uint32_t moved = u ? base + offset : base - offset;
    t->address = p ? moved : base;
    t->load = (hw1 >> 4) & 1;
    t->base = w ? (int)rn : -1;
    t->new_base = moved;
    t->reg[0] = (uint8_t)rt;
    t->reg[1] = (uint8_t)rt2;
    t->words = 2;
    t->length = 4;
    return 1;
}

static int reglist(uint32_t list, struct transfer *t) {
    t->words = 0;
    for (unsigned r = 0; r < 16; r++) {
        if (list & (1u << r)) {
            if (r == 13 || r == 15) return 0;
            t->reg[t->words++] = (uint8_t)r;
        }
    }
    return t->words > 0;
}

/* LDM, STM: 16-bit (IA, 1100 L Rn list) and 32-bit (1110 100 op 0 W L Rn | list). */
static int decode_multiple(const struct context *c, uint32_t hw1, uint32_t hw2, struct transfer *t) {
    uint32_t base;
    if ((hw1 & 0xf000u) == 0xc000u) {
        const unsigned rn = (hw1 >> 8) & 7;
        if (!reglist(hw1 & 0xffu, t) || !reg_get(c, rn, &base)) return 0;
        t->load = (hw1 >> 11) & 1;
        t->address = base;
        /* LDM writes back unless the base is in the list; STM always writes back. */
        t->base = (t->load && (hw1 & (1u << rn))) ? -1 : (int)rn;
        t->new_base = base + 4u * t->words;
        t->length = 2;
        return 1;
    }
    const int ia = (hw1 & 0xffc0u) == 0xe880u, db = (hw1 & 0xffc0u) == 0xe900u;
    if (!ia && !db) return 0;
    const unsigned rn = hw1 & 15, w = (hw1 >> 5) & 1;
    if (!reglist(hw2, t) || !reg_get(c, rn, &base)) return 0;
    t->load = (hw1 >> 4) & 1;
    t->address = ia ? base : base - 4u * t->words;
    t->base = w ? (int)rn : -1;
    t->new_base = ia ? base + 4u * t->words : t->address;
    t->length = 4;
    return 1;
}

/* Unprivileged code's bytes move with LDRBT/STRBT, so the MPU checks them a second time. */
static uint8_t byte_load(uint32_t address, int privileged) {
    uint32_t v;
    if (privileged) return *(volatile uint8_t *)address;
    __asm__ volatile("ldrbt %0, [%1]" : "=r"(v) : "r"(address) : "memory");
    return (uint8_t)v;
}

static void byte_store(uint32_t address, uint8_t value, int privileged) {
    if (privileged) {
        *(volatile uint8_t *)address = value;
        return;
    }
    __asm__ volatile("strbt %0, [%1]" : : "r"((uint32_t)value), "r"(address) : "memory");
}

/* After the instruction: the next one, and the IT block's state moved on (xPSR[26:25,15:10]). */
static void step_past(uint32_t *frame, uint32_t length) {
    frame[6] += length;
    uint32_t xpsr = frame[7];
    uint32_t it = ((xpsr >> 8) & 0xfcu) | ((xpsr >> 25) & 3u);
    if (it) {
        it = (it & 7u) == 0 ? 0 : ((it & 0xe0u) | ((it << 1) & 0x1fu));
        xpsr &= ~((0x3fu << 10) | (3u << 25));
        xpsr |= ((it & 0xfcu) << 8) | ((it & 3u) << 25);
        frame[7] = xpsr;
    }
}

volatile struct bento_unaligned_refusal bento_unaligned_refusal;

int bento_unaligned_emulate(uint32_t *frame, struct saved_regs *saved) __attribute__((used));

int bento_unaligned_emulate(uint32_t *frame, struct saved_regs *saved) {
    bento_unaligned_refusal.refused = 0;
    const uint32_t cfsr = SCB_CFSR;
    if ((cfsr & UFSR_MASK) != CFSR_UNALIGNED || !(saved->exc_return & 8u)) return 0;
    uint32_t control;
    __asm__ volatile("mrs %0, control" : "=r"(control));
    struct context c = {frame, saved, !(control & 1u), !(saved->exc_return & 16u)};
    const uint32_t pc = frame[6] & ~1u;
    if (!bento_mpu_allows(pc, 4, 0, c.privileged)) return 0;
    const uint32_t hw1 = *(const volatile uint16_t *)pc, hw2 = *(const volatile uint16_t *)(pc + 2);
    struct transfer t;
    if (!decode_vfp(&c, hw1, hw2, &t) && !decode_dual(&c, hw1, hw2, &t) && !decode_multiple(&c, hw1, hw2, &t)) return 0;
    if (!bento_mpu_allows(t.address, 4u * t.words, !t.load, c.privileged)) {
        bento_unaligned_refusal.address = t.address;
        bento_unaligned_refusal.refused = 1;
        return 0;
    }
    for (uint32_t i = 0; i < t.words; i++) {
        const uint32_t at = t.address + 4u * i;
        if (t.load) {
            uint32_t v = 0;
            for (uint32_t k = 0; k < 4; k++) v |= (uint32_t)byte_load(at + k, c.privileged) << (8 * k);
            if (!word_set(&c, t.reg[i], v)) return 0;
        } else {
            uint32_t v;
            if (!word_get(&c, t.reg[i], &v)) return 0;
            for (uint32_t k = 0; k < 4; k++) byte_store(at + k, (uint8_t)(v >> (8 * k)), c.privileged);
        }
    }
    if (t.base >= 0) reg_set(&c, (unsigned)t.base, t.new_base);
    step_past(frame, t.length);
    SCB_CFSR = CFSR_UNALIGNED; /* write one to clear */
    return 1;
}

void bento_usage_fault_report(void);

/* Saves what the emulation may read or change, then either resumes the code or reports the fault
 * exactly as before (registers restored, EXC_RETURN back in lr). */
__attribute__((naked)) void UsageFault_Handler(void) {
    __asm__ volatile(
        "tst lr, #4\n\t"
        "ite eq\n\t"
        "mrseq r0, msp\n\t"
        "mrsne r0, psp\n\t"
        "push {r3-r11, lr}\n\t"
#if defined(__ARM_FP)
        "vpush {s0-s31}\n\t"
#endif
        "mov r1, sp\n\t"
        "bl bento_unaligned_emulate\n\t"
        "cmp r0, #0\n\t"
#if defined(__ARM_FP)
        "vpop {s0-s31}\n\t"
#endif
        "pop {r3-r11, lr}\n\t"
        "it ne\n\t"
        "bxne lr\n\t"
        "b bento_usage_fault_report\n\t");
}
