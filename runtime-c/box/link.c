/* The checked call across a box boundary (see bento/link.h). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bento/exit_codes.h"
#include "bento/link.h"
#include "bento/semihost.h"

#define MAX_RANGES 4
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

static int range_bytes(const bento_link_range_t *r, const uint32_t w[4], uint32_t *bytes) {
    uint64_t count = r->length;
    if (r->length_word != BENTO_LENGTH_CONSTANT) {
        count = w[r->length_word];
        if ((r->length_signed && (int32_t)w[r->length_word] < 0) || (r->length_wide && w[r->length_word + 1] != 0)) {
            return 0;
        }
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

int32_t bento_link_call(const bento_link_t *link, const uint32_t w_in[4], uint64_t *result) {
    uint32_t w[4] = {w_in[0], w_in[1], w_in[2], w_in[3]};
    transfer_t transfers[MAX_RANGES];
    *result = 0;
    /* A ready box (the common case) needs no preparing. */
    int32_t code = link->callee && link->callee->state != BENTO_BOX_READY ? bento_box_prepare(link->callee) : 0;
    /* A Wasm callee's shadow stack pointer, put back after the call when buffers were pushed. */
    const int shadow = code == 0 && link->range_count > 0 && link->callee && link->callee_space->stack_pointer;
    const uint32_t saved_shadow_sp = shadow ? *link->callee_space->stack_pointer : 0;
    uintptr_t sp = link->callee ? link->callee->stack_top : 0;

    for (uint32_t i = 0; code == 0 && i < link->range_count; i++) {
        const bento_link_range_t *r = &link->ranges[i];
        transfer_t *t = &transfers[i];
        t->copy = NULL;
        uint32_t ptr = w[r->word];
        if (ptr == 0 && r->nullable) {
            continue;
        }
        if (ptr == 0 && (link->caller_space == NULL || !link->caller_space->wasm)) {
            code = BENTO_E_RANGE; /* NULL where the signature wants memory */
            break;
        }
        if (!range_bytes(r, w, &t->bytes)) {
            code = BENTO_E_RANGE;
        } else if (link->caller_space) {
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

    if (code == 0) {
        if (link->callee) {
            code = bento_box_run(link->callee, link->entry, w, sp, result);
        } else {
            *result = link->host(w[0], w[1], w[2], w[3]);
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

    if (code < 0) {
        if (link->fallible) {
            *result = (uint64_t)(int64_t)code;
        } else if (link->caller) {
            bento_box_abort_caller(code);
        } else {
            bento_link_escalate(link, code);
        }
    }
    return code;
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
    bento_box_abort(err < 0 ? err : BENTO_E_ABORTED);
}
