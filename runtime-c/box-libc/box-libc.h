/* The C library of native boxes (runtime-c/box-libc), linked into each box that uses it: its
 * objects join the box's own, so whatever state they keep (the heap, the printf buffer) lives
 * in the box's RAM region, and their symbols are the box's alone. */
#ifndef BENTO_BOX_LIBC_H
#define BENTO_BOX_LIBC_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Where formatted text goes: `buf` holds `cap` bytes, `used` of them filled. When it is full,
 * `flush` (if any) empties it; without one, what does not fit is dropped. `total` counts every
 * byte produced, kept or not (snprintf's result). */
typedef struct bento_out {
    char *buf;
    size_t cap;
    size_t used;
    size_t total;
    void (*flush)(struct bento_out *out);
} bento_out_t;

/* Formats like vsnprintf into `out`: %d %i %u %o %x %X %c %s %p %f %F %%, the flags - + space #
 * and 0, a width and a precision (numbers or *), and the lengths hh h l ll z j t. Anything else
 * after a % is written as it is. */
void bento_format(bento_out_t *out, const char *format, va_list args);

/* Ends the box with `code` and a line of text the host prints in its abort report. */
void bento_libc_abort_text(int32_t code, const char *text, size_t length) __attribute__((noreturn));

/* Writes `length` bytes of the box's memory to the console (the `printf` service); the bytes
 * written, or a negative bento code. */
int32_t bento_libc_console_write(const void *text, size_t length);

#endif
