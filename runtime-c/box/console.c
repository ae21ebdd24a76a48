/* What a native box's C library (runtime-c/box-libc) asks of the host: an abort with a line of
 * text (an assert), and console output for a box given the `printf` service. The box's bytes
 * are read where they are, in its own memory, after checking that they lie there: the box
 * passes only an address and a length. */
#include <stdint.h>
#include <stdio.h>

#include "bento/box.h"

/* Generated (glue/libc_services.c) for images built from a recipe; a weak reference, so that
 * other images (run-wasm) link without it: no box has the service there. Not a weak empty
 * definition: the compiler would read that constant list and never look again. */
extern bento_box_t *const bento_box_console_boxes[] __attribute__((weak));

/* The longest text an abort report prints of what the box wrote. */
#define ABORT_TEXT_MAX 200u

int bento_box_owns(const bento_box_t *box, uintptr_t start, uint32_t length) {
    for (uint32_t i = 0; i < box->region_count; i++) {
        uintptr_t base = box->regions[i].base;
        uint32_t size = box->regions[i].size;
        /* No sum that could wrap: start inside, and length within what is left of the region. */
        if (start >= base && start - base <= size && length <= size - (start - base)) {
            return 1;
        }
    }
    return 0;
}

int32_t bento_box_abort_text(bento_box_t *box, int32_t code, uintptr_t text, uint32_t length) {
    if (length > ABORT_TEXT_MAX) {
        length = ABORT_TEXT_MAX;
    }
    /* Noted only when it is the box's: the report then reads it from there, as the box left it
     * (the box's memory is not touched again before the report, which runs next). */
    if (length > 0 && bento_box_owns(box, text, length)) {
        box->report.kind = BENTO_REPORT_TEXT;
        box->report.address = (uint32_t)text;
        box->report.length = length;
    }
    return code;
}

static int console_allowed(const bento_box_t *box) {
    if (bento_box_console_boxes == 0) {
        return 0;
    }
    for (bento_box_t *const *b = bento_box_console_boxes; *b; b++) {
        if (*b == box) {
            return 1;
        }
    }
    return 0;
}

int64_t bento_box_console_write(uint32_t text, uint32_t length) {
    bento_box_t *box = bento_box_caller();
    if (box == 0 || !console_allowed(box)) {
        return BENTO_E_ABORTED;
    }
    if (length == 0) {
        return 0;
    }
    if (!bento_box_owns(box, text, length)) {
        return BENTO_E_RANGE;
    }
    /* Through stdout, so that the bytes keep their order with the host's own printf. */
    fwrite((const void *)(uintptr_t)text, 1, length, stdout);
    fflush(stdout);
    return (int64_t)length;
}
