/* Calls across a box boundary, described as data by the generated glue: which box calls which,
 * the argument words, the memory ranges the pointer arguments cover and the callbacks they pass.
 * Up to four words travel in r0-r3; a call with more passes a block of words (its address in
 * r0), on the caller's stack going out and on the callee's stack coming in. bento_link_call checks
 * every range against the caller's memory, copies buffers onto the callee's stack (and back,
 * for `mut`), runs the call under the callee's fault policy, and turns a failure into an error
 * result or an abort of the caller. */
#ifndef BENTO_LINK_H
#define BENTO_LINK_H

#include <stdint.h>
#include <string.h>

#include "bento/box.h"
#include "bento/irq.h"
#include "bento/scb.h"

/* The memory one box may use, as the glue sees it (never the box's own, writable records). */
typedef struct bento_box_space {
    /* Wasm boxes: pointers are offsets into the linear memory at `base`. Native boxes: pointers
     * are addresses in their RAM region [base, base + size). */
    uint8_t wasm;
    uintptr_t base;
    uint32_t size;
    /* Wasm: the instance's current memory size (box-writable, so clamped to `size`). */
    const volatile uint32_t *live_size;
    /* Wasm: the shadow stack pointer global (__stack_pointer), where buffers are pushed. */
    volatile uint32_t *stack_pointer;
} bento_box_space_t;

#define BENTO_LENGTH_CONSTANT 0xffu

/* A pointer or array argument: `element_size * length` bytes from the pointer. */
typedef struct bento_link_range {
    uint8_t word;        /* argument word holding the pointer */
    uint8_t writable;    /* mut: the callee may write, so the bytes are copied back */
    uint8_t nullable;    /* NULL (0) may stand for "no buffer", with a count of 0 */
    uint8_t length_word; /* argument word holding the element count, or BENTO_LENGTH_CONSTANT */
    /* The count's declared type: the callee reads it at this width, so it is checked at it
     * (a 0x80 passed as an i8 is -128, refused; a 64-bit count's high word must be 0). */
    uint8_t length_signed;
    uint8_t length_bits; /* 8, 16, 32 or 64 */
    uint32_t element_size;
    uint32_t length;     /* the constant count */
} bento_link_range_t;

/* How the result words of a call are cut to the declared result type before the caller sees
 * them, so nothing of the callee's registers beyond its result goes back. */
enum bento_result_kind {
    BENTO_RESULT_NONE = 0, /* void and noreturn: 0 */
    BENTO_RESULT_BOOL,
    BENTO_RESULT_I8,
    BENTO_RESULT_U8,
    BENTO_RESULT_I16,
    BENTO_RESULT_U16,
    BENTO_RESULT_W32, /* 32-bit integers, err32, f32, pointers: r1 is 0 */
    BENTO_RESULT_W64,
};

/* Words a call may take, and pointer arguments: src/config/signature.ts checks signatures against them. */
#define BENTO_LINK_MAX_WORDS 32u
#define BENTO_LINK_MAX_RANGES 16u
#define BENTO_LINK_REGISTER_WORDS 4u

/* A callback argument: a token naming one function declared as a callback of its type. */
typedef struct bento_link_callback {
    uint8_t word;  /* argument word holding the token */
    uint8_t type;  /* the callback type's number */
    uint8_t count; /* functions of that type: valid indexes are below */
} bento_link_callback_t;

/* Tokens: ((type + 1) << 8) | (index + 1); 0 is no callback. */
#define BENTO_CALLBACK_TOKEN(type, index) ((((uint32_t)(type) + 1u) << 8) | ((uint32_t)(index) + 1u))

/* Callbacks a box holds: a bit per function of each callback type. It starts with its own and
 * the ones it imports, and gains each one passed to it; a restart takes back what it gained. */
typedef uint32_t bento_link_grants_t;

typedef uint64_t (*bento_host_adapter_t)(const uint32_t *w);

typedef struct bento_link {
    const char *name;
    bento_box_t *caller;                    /* NULL: the host calls */
    const bento_box_space_t *caller_space;
    bento_box_t *callee;                    /* NULL: a host function */
    const bento_box_space_t *callee_space;
    void (*entry)(void);                    /* the callee box's entry for this function */
    bento_host_adapter_t host;              /* or the host function's adapter */
    const bento_link_range_t *ranges;
    uint8_t range_count;
    uint8_t fallible;                       /* returns an err type: failures become results */
    uint8_t result_kind;                    /* enum bento_result_kind */
    uint8_t noreturn;                       /* declared noreturn: returning is a failure */
    uint8_t word_count;                     /* argument words; more than 4 go as a block */
    uint8_t callback_count;
    const bento_link_callback_t *callbacks;
    const bento_link_grants_t *caller_grants; /* by callback type; NULL: the host, which holds all */
    bento_link_grants_t *callee_grants;       /* NULL: the host */
} bento_link_t;

/* Makes the call with argument words `w` (link->word_count of them); the result words go to
 * *result. Returns 0, or the negative error (already turned into the result for fallible links). */
int32_t bento_link_call(const bento_link_t *link, const uint32_t *w, uint64_t *result);

/* The host's straight call of `link` (bento_box_direct_fast) gave `code` != 0: 1, not entered,
 * makes the checked call instead; an unwind is counted against the box and becomes the result
 * (fallible) or stops the system, as bento_link_call does. */
uint64_t bento_link_direct_failed(const bento_link_t *link, int32_t code, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3) __attribute__((noinline));
/* The same for a call of one word. */
uint64_t bento_link_direct_failed1(const bento_link_t *link, int32_t code, uint32_t w0) __attribute__((noinline));

/* The result words cut to the declared type (enum bento_result_kind). */
static inline uint64_t bento_link_cut_result(uint8_t kind, uint64_t r) {
    uint32_t low = (uint32_t)r;
    switch (kind) {
    case BENTO_RESULT_BOOL:
        return low != 0;
    case BENTO_RESULT_I8:
        return (uint32_t)(int32_t)(int8_t)low;
    case BENTO_RESULT_U8:
        return (uint8_t)low;
    case BENTO_RESULT_I16:
        return (uint32_t)(int32_t)(int16_t)low;
    case BENTO_RESULT_U16:
        return (uint16_t)low;
    case BENTO_RESULT_W32:
        return low;
    case BENTO_RESULT_W64:
        return r;
    default:
        return 0;
    }
}

/* A box's call of a host function with at most four words and nothing to check (no pointers,
 * no callbacks, not noreturn): what bento_link_call does for it, without its generic work. */
static inline uint64_t bento_link_host_plain(const bento_link_t *link, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3) {
    const uint32_t w[4] = {w0, w1, w2, w3};
    return bento_link_cut_result(link->result_kind, link->host(w));
}

/* bento_link_box_straight's way out when the straight call gave `code` != 0. */
uint64_t bento_link_straight_failed(const bento_link_t *link, int32_t code, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3) __attribute__((noinline));

/* A box's call of a box entered straight, without a budget, with at most four words and nothing
 * to check: straight when no budget chain is charged for the caller (else bento_link_call, which
 * charges it), failing as bento_link_call fails. */
static inline uint64_t bento_link_box_straight(const bento_link_t *link, const bento_direct_call_t *call, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3) {
    uint64_t r;
    int32_t code = link->caller->charge_saved == 0 ? bento_box_direct_fast(call, w0, w1, w2, w3, &r) : 1;
    if (__builtin_expect(code != 0, 0)) {
        return bento_link_straight_failed(link, code, w0, w1, w2, w3);
    }
    return bento_link_cut_result(link->result_kind, r);
}

/* One function of the caller that reaches one of several links, by a selector word before the
 * arguments: an instance number, or a callback token. */
typedef struct bento_link_select {
    const char *name;
    const bento_link_t *const *links; /* by instance or callback index; NULL: none there */
    uint8_t count;
    uint8_t callback;                 /* the selector is a token of callback type `type` */
    uint8_t type;
    uint8_t fallible;
    bento_box_t *caller;              /* NULL: the host */
    const bento_link_grants_t *caller_grants;
} bento_link_select_t;

/* Calls the link `block[0]` selects with the words after it, or fails as the link would. */
uint64_t bento_link_dispatch(const bento_link_select_t *select, const uint32_t *block);

/* A box passed a block of `count` words at `address` on its own stack: copies them into `out`
 * (`expected` words) and returns 1, or returns 0 and aborts the box (once its gate returns) when
 * the block is not where it may be. */
int bento_link_words(bento_box_t *caller, uint32_t address, uint32_t count, uint32_t *out, uint32_t expected);

/* The host called a function that cannot return an error, and it failed: stop the system. */
void bento_link_escalate(const bento_link_t *link, int32_t code) __attribute__((noreturn));

/* Resets a box's RAM to its initial image: zero everything, copy the initialised data. */
void bento_box_reset_ram(uint8_t *start, uint8_t *end, uint8_t *data, uint8_t *data_end, const uint8_t *load);

static inline uint32_t bento_f32_bits(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}
static inline float bento_bits_f32(uint32_t u) {
    float f;
    memcpy(&f, &u, 4);
    return f;
}
static inline uint64_t bento_f64_bits(double d) {
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}
static inline double bento_bits_f64(uint64_t u) {
    double d;
    memcpy(&d, &u, 8);
    return d;
}

#endif
