/* The `printf` service of a native box (box.<name>.libc = ["printf"]): printf, vprintf, puts
 * and putchar format in the box, into a buffer in its own bss, and hand the bytes to the host
 * with one SVC (BENTO_SVC_CONSOLE) per call, or per buffer-full of a long one. The host checks
 * that the bytes lie in the box's memory and writes them to the console through its stdout,
 * in order with its own output. Output is written when each call returns (putchar's byte at
 * once): nothing waits in the box for a newline. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "box-libc.h"

#define LINE 128

static char line[LINE];

static void flush(bento_out_t *out) {
    if (out->used > 0) {
        (void)bento_libc_console_write(out->buf, out->used);
    }
    out->used = 0;
}

int vprintf(const char *format, va_list args) {
    bento_out_t out = {line, LINE, 0, 0, flush};
    bento_format(&out, format, args);
    flush(&out);
    return out.total > INT32_MAX ? -1 : (int)out.total;
}

int printf(const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vprintf(format, args);
    va_end(args);
    return n;
}

int puts(const char *s) {
    size_t n = strlen(s);
    /* One write when the text and its newline fit the buffer. */
    if (n < LINE) {
        memcpy(line, s, n);
        line[n] = '\n';
        return bento_libc_console_write(line, n + 1) < 0 ? EOF : (int)n + 1;
    }
    if (bento_libc_console_write(s, n) < 0) {
        return EOF;
    }
    return bento_libc_console_write("\n", 1) < 0 ? EOF : (int)n + 1;
}

int putchar(int c) {
    line[0] = (char)c;
    return bento_libc_console_write(line, 1) < 0 ? EOF : (unsigned char)c;
}
