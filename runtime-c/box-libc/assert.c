/* assert() and abort() for native boxes. newlib's <assert.h> calls __assert_func(file, line, function,
 * expression) when an assertion fails; here that ends the box with BENTO_E_ASSERT and the
 * failed expression, which the host prints with the abort line:
 *   [bento] box n: assertion failed: n.c:12: x > 0 (in check)
 *   [bento] box n aborted: assertion failed (-12), restart 1 of 3 on its next call */
#include <stdio.h>
#include <string.h>

#include "bento/errors.h"
#include "box-libc.h"

void __assert_func(const char *file, int line, const char *function, const char *expression) __attribute__((noreturn));

void __assert_func(const char *file, int line, const char *function, const char *expression) {
    /* The file's name without its folders: bento compiles sources by their full paths. */
    const char *name = file ? file : "?";
    for (const char *p = name; *p; p++) {
        if (*p == '/') {
            name = p + 1;
        }
    }
    char text[160];
    int n = function ? snprintf(text, sizeof text, "assertion failed: %s:%d: %s (in %s)", name, line, expression, function)
                     : snprintf(text, sizeof text, "assertion failed: %s:%d: %s", name, line, expression);
    size_t length = n < 0 ? 0 : (size_t)n < sizeof text ? (size_t)n : sizeof text - 1;
    bento_libc_abort_text(BENTO_E_ASSERT, text, length);
}

/* abort() ends the box too (newlib's raises SIGABRT through the host's reentrancy structure). */
void abort(void) __attribute__((noreturn));

void abort(void) {
    /* On the stack: the host prints only text in the box's own RAM, not its constants. */
    char text[] = "abort() called";
    bento_libc_abort_text(BENTO_E_ABORTED, text, sizeof text - 1);
}
