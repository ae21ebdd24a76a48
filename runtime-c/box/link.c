/* The checked call across a box boundary (see bento/link.h). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bento/exit_codes.h"
#include "bento/link.h"
#include "bento/semihost.h"

#define MAX_RANGES BENTO_LINK_MAX_RANGES
/* Buffers may take a native box's stack down to this much; the callee needs the rest. */
#define NATIVE_STACK_KEEP 512u

extern char __bento_code_start[];
extern char __bento_code_end[];

/* Where one range lives while the call runs. */
typedef struct transfer {
    uintptr_t native;  /* in the caller's memory, as an address */
    uint32_t bytes;
    uint8_t *copy;     /* the callee's copy, or NULL when passed through */
} transfer_t;

/* The element count as the callee will read it: the word cut to the count's declared width. */
static int count_of(const bento_link_range_t *r, const uint32_t *w, uint64_t *count) {
    uint32_t word = w[r->length_word];
    int32_t value;
    switch (r->length_bits) {
    case 8:
        value = r->length_signed ? (int32_t)(int8_t)word : (int32_t)(uint8_t)word;
        break;
    case 16:
        value = r->length_signed ? (int32_t)(int16_t)word : (int32_t)(uint16_t)word;
        break;
    case 64:
        /* A count past 32 bits is too big for any memory; a negative one too. */
        if (w[r->length_word + 1] != 0) {
            return 0;
        }
        *count = word;
        return 1;
    default:
        if (r->length_signed && (int32_t)word < 0) {
            return 0;
        }
        *count = word;
        return 1;
    }
    if (value < 0) {
        return 0;
    }
    *count = (uint32_t)value;
    return 1;
}

static int range_bytes(const bento_link_range_t *r, const uint32_t *w, uint32_t *bytes) {
    uint64_t count = r->length;
    if (r->length_word != BENTO_LENGTH_CONSTANT && !count_of(r, w, &count)) {
        return 0;
    }
    uint64_t total = count * r->element_size;
    if (total > 0xffffffffu) {
        return 0;
    }
    *bytes = (uint32_t)total;
    return 1;
}

/* Does [ptr, ptr + bytes) lie in memory `space`'s box may use? Gives its address. */
static int in_space(const bento_box_space_t *space, uint32_t ptr, uint32_t bytes, int writable, uintptr_t *native) {
    if (space->wasm) {
        uint32_t size = *space->live_size;
        if (size > space->size) {
            size = space->size;
        }
        if (ptr > size || bytes > size - ptr) {
            return 0;
        }
        *native = space->base + ptr;
        return 1;
    }
    uintptr_t end = space->base + space->size;
    if (ptr >= space->base && ptr <= end && bytes <= end - ptr) {
        *native = ptr;
        return 1;
    }
    /* Constant data of a native box (string literals) lives in code memory, readable by all. */
    uintptr_t code = (uintptr_t)__bento_code_start, code_end = (uintptr_t)__bento_code_end;
    if (!writable && ptr >= code && ptr <= code_end && bytes <= code_end - ptr) {
        *native = ptr;
        return 1;
    }
    return 0;
}

/* Copies `bytes` onto the callee's stack: the native stack (moving *sp down) or a Wasm box's
 * shadow stack in its linear memory. Gives the address the callee sees. */
static int push(const bento_link_t *link, uintptr_t *sp, transfer_t *t, uint32_t *callee_ptr) {
    const bento_box_space_t *space = link->callee_space;
    if (t->bytes > space->size) {
        return BENTO_E_NOSPACE; /* also keeps the rounding below from wrapping */
    }
    uint32_t rounded = (t->bytes + 7u) & ~7u;
    if (space->wasm) {
        uint32_t top = *space->stack_pointer;
        if (top > space->size || rounded > top) {
            return BENTO_E_NOSPACE;
        }
        top -= rounded;
        *space->stack_pointer = top;
        t->copy = (uint8_t *)(space->base + top);
        *callee_ptr = top;
    } else {
        uintptr_t bottom = link->callee->stack_bottom + NATIVE_STACK_KEEP;
        if (*sp < bottom || rounded > *sp - bottom) {
            return BENTO_E_NOSPACE;
        }
        *sp -= rounded;
        t->copy = (uint8_t *)*sp;
        *callee_ptr = (uint32_t)*sp;
    }
    memcpy(t->copy, (const void *)t->native, t->bytes);
    return 0;
}

/* The argument words, and zeros up to the four a register call's entry reads. A loop of its own,
 * kept from becoming newlib-nano's byte-by-byte memcpy: most calls have a few words. */
__attribute__((no_builtin("memcpy", "memset"))) static void copy_words(uint32_t *to, const uint32_t *from, uint32_t words) {
    uint32_t i = 0;
    for (; i < words; i++) {
        to[i] = from[i];
    }
    for (; i < BENTO_LINK_REGISTER_WORDS; i++) {
        to[i] = 0;
    }
}

/* Callback tokens the caller passes: each must name a function of its type that the caller
 * holds; the callee box then holds it too. */
static int32_t pass_callbacks(const bento_link_t *link, const uint32_t *w) {
    for (uint32_t i = 0; i < link->callback_count; i++) {
        const bento_link_callback_t *c = &link->callbacks[i];
        uint32_t token = w[c->word];
        if (token == 0) {
            continue; /* no callback: the callee checks before calling it */
        }
        uint32_t index = (token & 0xffu) - 1u;
        if ((token >> 8) != (uint32_t)c->type + 1u || index >= c->count || index >= 32u) {
            return BENTO_E_HANDLE;
        }
        if (link->caller_grants && !(link->caller_grants[c->type] & (1u << index))) {
            return BENTO_E_HANDLE; /* a token the caller was never given */
        }
    }
    for (uint32_t i = 0; link->callee_grants && i < link->callback_count; i++) {
        const bento_link_callback_t *c = &link->callbacks[i];
        if (w[c->word] != 0) {
            link->callee_grants[c->type] |= 1u << ((w[c->word] & 0xffu) - 1u);
        }
    }
    return 0;
}

int32_t bento_link_call(const bento_link_t *link, const uint32_t *w_in, uint64_t *result) {
    uint32_t w[BENTO_LINK_MAX_WORDS];
    uint32_t words = link->word_count <= BENTO_LINK_MAX_WORDS ? link->word_count : BENTO_LINK_MAX_WORDS;
    if (words <= BENTO_LINK_REGISTER_WORDS) {
        /* The common case inline: a register call's unused words read 0. */
        w[0] = words > 0 ? w_in[0] : 0;
        w[1] = words > 1 ? w_in[1] : 0;
        w[2] = words > 2 ? w_in[2] : 0;
        w[3] = words > 3 ? w_in[3] : 0;
    } else {
        copy_words(w, w_in, words);
    }
    transfer_t transfers[MAX_RANGES];
    *result = 0;
    int32_t code = 0;
    /* A box calling a box: the work of this call and the callee's time are the caller's. */
    const int box_to_box = link->caller && link->callee;
    if (box_to_box && !bento_budget_link_begin(link->caller)) {
        code = BENTO_E_BUDGET;
    } else if (link->callee && !bento_box_enterable()) {
        code = BENTO_E_CONTEXT; /* before anything touches the callee's memory */
    } else if (link->callee && link->callee->state != BENTO_BOX_READY) {
        code = bento_box_prepare(link->callee); /* a ready box (the common case) needs none */
    }
    if (code == 0 && link->callback_count > 0) {
        code = pass_callbacks(link, w);
    }
    /* A Wasm callee's shadow stack pointer, put back after the call when buffers were pushed. */
    const int shadow = code == 0 && link->range_count > 0 && link->callee && link->callee_space->stack_pointer;
    const uint32_t saved_shadow_sp = shadow ? *link->callee_space->stack_pointer : 0;
    uintptr_t sp = link->callee ? link->callee->stack_top : 0;

    for (uint32_t i = 0; code == 0 && i < link->range_count; i++) {
        const bento_link_range_t *r = &link->ranges[i];
        transfer_t *t = &transfers[i];
        t->copy = NULL;
        uint32_t ptr = w[r->word];
        if (!range_bytes(r, w, &t->bytes)) {
            code = BENTO_E_RANGE;
            break;
        }
        if (ptr == 0 && r->nullable) {
            /* NULL means "no buffer". With a count in another argument, only with a count of 0,
             * or the callee would take the count and use NULL as a buffer. */
            if (r->length_word != BENTO_LENGTH_CONSTANT && t->bytes != 0) {
                code = BENTO_E_RANGE;
                break;
            }
            continue;
        }
        if (ptr == 0 && (link->caller_space == NULL || !link->caller_space->wasm)) {
            code = BENTO_E_RANGE; /* NULL where the signature wants memory */
            break;
        }
        if (link->caller_space) {
            if (!in_space(link->caller_space, ptr, t->bytes, r->writable, &t->native)) {
                code = BENTO_E_RANGE;
            }
        } else {
            t->native = ptr; /* the host may pass any memory */
        }
        if (code == 0) {
            if (link->callee) {
                code = push(link, &sp, t, &w[r->word]);
            } else {
                w[r->word] = (uint32_t)t->native;
            }
        }
    }

    if (code == 0 && link->callee && words > BENTO_LINK_REGISTER_WORDS) {
        /* The words go on the callee's native stack as a block; its entry gets the address. */
        uint32_t bytes = (words * 4u + 7u) & ~7u;
        uintptr_t bottom = link->callee->stack_bottom + (link->callee_space->wasm ? 0u : NATIVE_STACK_KEEP);
        if (sp < bottom || bytes > sp - bottom) {
            code = BENTO_E_NOSPACE;
        } else {
            sp -= bytes;
            memcpy((void *)sp, w, words * 4u);
            w[0] = (uint32_t)sp;
        }
    }
    if (code == 0) {
        if (link->callee) {
            /* What of the callee's stack its caller's buffers take (a Wasm callee's shadow stack
             * is in its linear memory, where an overrun is no stack overflow). */
            link->callee->pushed = (uint32_t)(link->callee->stack_top - sp);
            code = bento_box_run(link->callee, link->entry, w, sp, result);
        } else {
            *result = link->host(w);
        }
        if (code == 0 && link->noreturn) {
            /* The callee broke its declared contract: a box counts it as a fault of its own. */
            code = link->callee ? bento_box_fail(link->callee, BENTO_E_RETURNED) : BENTO_E_RETURNED;
        }
    }
    if (code == 0) {
        for (uint32_t i = 0; i < link->range_count; i++) {
            if (link->ranges[i].writable && transfers[i].copy) {
                memcpy((void *)transfers[i].native, transfers[i].copy, transfers[i].bytes);
            }
        }
    }
    if (shadow && link->callee->state == BENTO_BOX_READY) {
        *link->callee_space->stack_pointer = saved_shadow_sp;
    }
    if (box_to_box) {
        bento_budget_link_end(link->caller);
    }

    if (code < 0) {
        if (link->fallible) {
            *result = (uint64_t)(int64_t)code;
        } else if (link->caller) {
            bento_box_abort_caller(code);
        } else {
            bento_link_escalate(link, code);
        }
    }
    if (link->caller) {
        /* A box gets its result as words: cut them to the type (the host's stub casts itself). */
        *result = bento_link_cut_result(link->result_kind, *result);
    }
    return code;
}

/* A straight call that did not give a result: not entered (code > 0), so the checked call, which
 * sets *result; or an unwind, counted and the box's policy applied. True when *result is set. */
static int retried_or_ended(const bento_link_t *link, int32_t *code, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3, uint64_t *result) {
    if (*code > 0) {
        const uint32_t w[4] = {w0, w1, w2, w3};
        bento_link_call(link, w, result);
        return 1;
    }
    *code = bento_box_direct_ended(link->callee, *code);
    return 0;
}

uint64_t bento_link_straight_failed(const bento_link_t *link, int32_t code, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3) {
    uint64_t result;
    if (retried_or_ended(link, &code, w0, w1, w2, w3, &result)) {
        return result;
    }
    if (link->fallible) {
        return bento_link_cut_result(link->result_kind, (uint64_t)(int64_t)code);
    }
    bento_box_abort_caller(code);
    return 0;
}

uint64_t bento_link_direct_failed1(const bento_link_t *link, int32_t code, uint32_t w0) {
    return bento_link_direct_failed(link, code, w0, 0, 0, 0);
}

uint64_t bento_link_direct_failed(const bento_link_t *link, int32_t code, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3) {
    uint64_t result;
    if (retried_or_ended(link, &code, w0, w1, w2, w3, &result)) {
        return result;
    }
    if (!link->fallible) {
        bento_link_escalate(link, code);
    }
    return (uint64_t)(int64_t)code;
}

uint64_t bento_link_dispatch(const bento_link_select_t *select, const uint32_t *block) {
    uint32_t selector = block[0];
    const bento_link_t *link = NULL;
    if (select->callback) {
        uint32_t index = (selector & 0xffu) - 1u;
        int held = !select->caller_grants || (index < 32u && (select->caller_grants[select->type] & (1u << index)));
        if ((selector >> 8) == (uint32_t)select->type + 1u && index < select->count && held) {
            link = select->links[index];
        }
    } else if (selector < select->count) {
        link = select->links[selector];
    }
    uint64_t result = 0;
    if (link) {
        bento_link_call(link, block + 1, &result);
        return result;
    }
    /* No such instance, a forged or foreign token, or the caller's own function (a box is not
     * re-entrant): the call fails as a call of its type does. */
    int32_t code = select->callback && link == NULL && selector != 0 && (selector >> 8) == (uint32_t)select->type + 1u &&
                           ((selector & 0xffu) - 1u) < select->count && select->links[(selector & 0xffu) - 1u] == NULL
                       ? BENTO_E_BUSY
                       : BENTO_E_HANDLE;
    if (select->fallible) {
        return (uint64_t)(int64_t)code;
    }
    if (select->caller) {
        bento_box_abort_caller(code);
        return 0;
    }
    printf("[bento] %s failed: %s (%ld), and it cannot return an error: stopping\n", select->name, bento_box_error_name(code), (long)code);
    fflush(stdout);
    bento_exit(BENTO_EXIT_BOX_PANIC);
}

int bento_link_words(bento_box_t *caller, uint32_t address, uint32_t count, uint32_t *out, uint32_t expected) {
    uint32_t bytes = expected * 4u;
    /* The block is the caller's stub's, on the caller's own (native) stack: nowhere else. */
    if (count != expected || expected > BENTO_LINK_MAX_WORDS + 1u || (address & 3u) != 0 || address < caller->stack_bottom ||
        address > caller->stack_top || bytes > caller->stack_top - address) {
        bento_box_abort_caller(BENTO_E_RANGE);
        return 0;
    }
    memcpy(out, (const void *)(uintptr_t)address, bytes);
    return 1;
}

void bento_link_escalate(const bento_link_t *link, int32_t code) {
    printf("[bento] %s failed: %s (%ld), and it cannot return an error: stopping\n", link->name, bento_box_error_name(code), (long)code);
    fflush(stdout);
    bento_exit(BENTO_EXIT_BOX_PANIC);
}

void bento_box_reset_ram(uint8_t *start, uint8_t *end, uint8_t *data, uint8_t *data_end, const uint8_t *load) {
    memset(start, 0, (size_t)(end - start));
    memcpy(data, load, (size_t)(data_end - data));
}

/* Native boxes end themselves with __box_abort(err). */
void __box_abort(int32_t err) __attribute__((noreturn));
void __box_abort(int32_t err) {
    bento_box_abort(bento_box_own_code(err));
}
