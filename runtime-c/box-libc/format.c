/* snprintf and friends for native boxes: stateless (no reentrancy structure, no locale, no
 * malloc, no errno), so they run on the box's stack and touch only what they are given.
 * newlib's own snprintf goes through _impure_ptr and may malloc, which live in host RAM. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "box-libc.h"

enum {
    LEFT = 1u,   /* '-': pad on the right */
    PLUS = 2u,   /* '+': a sign for positive numbers too */
    SPACE = 4u,  /* ' ': a space where the sign of a positive number would be */
    ALT = 8u,    /* '#': 0x for hex, a leading 0 for octal */
    ZERO = 16u,  /* '0': pad numbers with zeros after the sign */
    UPPER = 32u, /* %X, %F */
};

static void put(bento_out_t *out, const char *s, size_t n) {
    out->total += n;
    while (n > 0) {
        if (out->used == out->cap) {
            if (!out->flush) {
                return;
            }
            out->flush(out);
            if (out->used == out->cap) {
                return;
            }
        }
        size_t k = out->cap - out->used < n ? out->cap - out->used : n;
        for (size_t i = 0; i < k; i++) {
            out->buf[out->used + i] = s[i];
        }
        out->used += k;
        s += k;
        n -= k;
    }
}

static void repeat(bento_out_t *out, char c, int count) {
    char chunk[16];
    for (int i = 0; i < (int)sizeof chunk; i++) {
        chunk[i] = c;
    }
    while (count > 0) {
        int k = count < (int)sizeof chunk ? count : (int)sizeof chunk;
        put(out, chunk, (size_t)k);
        count -= k;
    }
}

/* Lays out one converted field: [spaces][sign and prefix][zeros][digits][spaces]. */
static void field(bento_out_t *out, unsigned flags, int width, const char *prefix, size_t prefix_length, int zeros, const char *body, size_t length) {
    int used = (int)(prefix_length + length) + (zeros > 0 ? zeros : 0);
    int pad = width > used ? width - used : 0;
    if ((flags & ZERO) && !(flags & LEFT)) {
        zeros += pad;
        pad = 0;
    }
    if (!(flags & LEFT)) {
        repeat(out, ' ', pad);
    }
    put(out, prefix, prefix_length);
    repeat(out, '0', zeros);
    put(out, body, length);
    if (flags & LEFT) {
        repeat(out, ' ', pad);
    }
}

/* The digits of v in base 2..16, written backwards from `end`; returns where they start. */
static char *digits(char *end, unsigned long long v, unsigned base, unsigned flags) {
    const char *set = (flags & UPPER) ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;
    /* 32-bit division while the value fits: no call to the 64-bit helper. */
    while (v > 0xffffffffull) {
        *--p = set[v % base];
        v /= base;
    }
    for (uint32_t w = (uint32_t)v; w != 0; w /= base) {
        *--p = set[w % base];
    }
    return p;
}

static void integer(bento_out_t *out, unsigned long long magnitude, int negative, unsigned base, unsigned flags, int width, int precision) {
    char buffer[24];
    char *end = buffer + sizeof buffer;
    char *start = digits(end, magnitude, base, flags);
    size_t length = (size_t)(end - start);
    char prefix[3];
    size_t prefix_length = 0;
    if (negative) {
        prefix[prefix_length++] = '-';
    } else if (flags & PLUS) {
        prefix[prefix_length++] = '+';
    } else if (flags & SPACE) {
        prefix[prefix_length++] = ' ';
    }
    if ((flags & ALT) && base == 16 && magnitude != 0) {
        prefix[prefix_length++] = '0';
        prefix[prefix_length++] = (flags & UPPER) ? 'X' : 'x';
    }
    int zeros = 0;
    if (precision >= 0) {
        zeros = precision > (int)length ? precision - (int)length : 0;
        flags &= ~ZERO; /* a precision turns the 0 flag off */
    } else if (length == 0) {
        zeros = 1; /* 0 is "0", but "" with a precision of 0 */
    }
    if ((flags & ALT) && base == 8 && zeros == 0 && (length == 0 || *start != '0')) {
        zeros = 1; /* octal's # makes the first digit a 0 */
    }
    field(out, flags, width, prefix, prefix_length, zeros, start, length);
}

/* %f: fixed point, rounded to `precision` digits (6 by default), ties to even as C's printf
 * does for values that are exact in binary. Exact for magnitudes below 2^64 and precisions up
 * to 9 (beyond that, digits past the ninth come out as zeros); larger magnitudes print as
 * their leading digits followed by zeros, computed in double. */
__attribute__((noinline)) /* its buffer is on the box's stack only while a %f is formatted */
static void fixed(bento_out_t *out, double v, unsigned flags, int width, int precision) {
    char prefix[1];
    size_t prefix_length = 0;
    int negative = __builtin_signbit(v) != 0;
    if (negative) {
        v = -v;
        prefix[prefix_length++] = '-';
    } else if (flags & PLUS) {
        prefix[prefix_length++] = '+';
    } else if (flags & SPACE) {
        prefix[prefix_length++] = ' ';
    }
    if (v != v || v > 1.7976931348623157e308) {
        const char *word = v != v ? ((flags & UPPER) ? "NAN" : "nan") : ((flags & UPPER) ? "INF" : "inf");
        field(out, flags & ~ZERO, width, prefix, prefix_length, 0, word, 3);
        return;
    }
    if (precision < 0) {
        precision = 6;
    }
    int shown = precision > 9 ? 9 : precision;
    static const uint32_t powers[] = {1u, 10u, 100u, 1000u, 10000u, 100000u, 1000000u, 10000000u, 100000000u, 1000000000u};
    char buffer[352];
    char *end = buffer + sizeof buffer;
    char *p = end;
    int point = (flags & ALT) || precision > 0;
    /* The fraction's digits past the ninth: zeros. */
    for (int i = shown; i < precision && p > buffer + 340; i++) {
        *--p = '0';
    }
    if (v < 18446744073709551616.0) {
        unsigned long long whole = (unsigned long long)v;
        double rest = (v - (double)whole) * (double)powers[shown];
        uint32_t fraction = (uint32_t)rest;
        double left = rest - (double)fraction;
        /* A tie goes to the even last digit kept: the fraction's, or the whole part's. */
        uint32_t last = shown > 0 ? fraction : (uint32_t)whole;
        if (left > 0.5 || (left == 0.5 && (last & 1u))) {
            fraction++;
        }
        if (fraction >= powers[shown]) {
            fraction -= powers[shown];
            whole++;
        }
        for (int i = 0; i < shown; i++) {
            *--p = (char)('0' + fraction % 10u);
            fraction /= 10u;
        }
        if (point) {
            *--p = '.';
        }
        char *start = digits(p, whole, 10, 0);
        if (start == p) {
            *--start = '0';
        }
        p = start;
    } else {
        for (int i = 0; i < shown; i++) {
            *--p = '0';
        }
        if (point) {
            *--p = '.';
        }
        /* Up to 309 digits: the leading 17 significant ones from double arithmetic. */
        int exponent = 0;
        while (v >= 1e17) {
            v /= 10.0;
            exponent++;
        }
        for (int i = 0; i < exponent; i++) {
            *--p = '0';
        }
        p = digits(p, (unsigned long long)v, 10, 0);
    }
    field(out, flags, width, prefix, prefix_length, 0, p, (size_t)(end - p));
}

void bento_format(bento_out_t *out, const char *format, va_list args) {
    va_list ap;
    va_copy(ap, args);
    const char *f = format;
    while (*f) {
        if (*f != '%') {
            const char *run = f;
            while (*f && *f != '%') {
                f++;
            }
            put(out, run, (size_t)(f - run));
            continue;
        }
        const char *spec = f++;
        unsigned flags = 0;
        for (;; f++) {
            if (*f == '-') {
                flags |= LEFT;
            } else if (*f == '+') {
                flags |= PLUS;
            } else if (*f == ' ') {
                flags |= SPACE;
            } else if (*f == '#') {
                flags |= ALT;
            } else if (*f == '0') {
                flags |= ZERO;
            } else {
                break;
            }
        }
        int width = 0;
        if (*f == '*') {
            width = va_arg(ap, int);
            if (width < 0) {
                flags |= LEFT;
                width = width == INT32_MIN ? INT32_MAX : -width;
            }
            f++;
        } else {
            while (*f >= '0' && *f <= '9') {
                width = width < 100000000 ? width * 10 + (*f - '0') : width;
                f++;
            }
        }
        int precision = -1;
        if (*f == '.') {
            f++;
            precision = 0;
            if (*f == '*') {
                precision = va_arg(ap, int);
                if (precision < 0) {
                    precision = -1;
                }
                f++;
            } else {
                while (*f >= '0' && *f <= '9') {
                    precision = precision < 100000000 ? precision * 10 + (*f - '0') : precision;
                    f++;
                }
            }
        }
        /* Lengths: 'H' hh, 'h', 'l', 'L' ll (and j), 'z' size_t, 't' ptrdiff_t. */
        char length = 0;
        if (*f == 'h') {
            length = f[1] == 'h' ? 'H' : 'h';
            f += f[1] == 'h' ? 2 : 1;
        } else if (*f == 'l') {
            length = f[1] == 'l' ? 'L' : 'l';
            f += f[1] == 'l' ? 2 : 1;
        } else if (*f == 'j') {
            length = 'L';
            f++;
        } else if (*f == 'z' || *f == 't') {
            length = *f++;
        } else if (*f == 'L') {
            f++; /* long double is double here */
        }
        char c = *f;
        if (c == 0) {
            put(out, spec, (size_t)(f - spec));
            break;
        }
        f++;
        switch (c) {
        case 'd':
        case 'i': {
            long long v = length == 'L' ? va_arg(ap, long long) : length == 'l' ? va_arg(ap, long) : length == 'z' ? (long long)va_arg(ap, ptrdiff_t) : length == 't' ? va_arg(ap, ptrdiff_t) : va_arg(ap, int);
            if (length == 'h') {
                v = (short)v;
            } else if (length == 'H') {
                v = (signed char)v;
            }
            unsigned long long magnitude = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
            integer(out, magnitude, v < 0, 10, flags, width, precision);
            break;
        }
        case 'u':
        case 'o':
        case 'x':
        case 'X': {
            unsigned long long v = length == 'L' ? va_arg(ap, unsigned long long) : length == 'l' ? va_arg(ap, unsigned long) : length == 'z' ? va_arg(ap, size_t) : length == 't' ? (unsigned long long)(size_t)va_arg(ap, ptrdiff_t) : va_arg(ap, unsigned);
            if (length == 'h') {
                v = (unsigned short)v;
            } else if (length == 'H') {
                v = (unsigned char)v;
            }
            unsigned base = c == 'u' ? 10u : c == 'o' ? 8u : 16u;
            integer(out, v, 0, base, (flags & ~(PLUS | SPACE)) | (c == 'X' ? UPPER : 0u), width, precision);
            break;
        }
        case 'p': {
            uintptr_t v = (uintptr_t)va_arg(ap, void *);
            integer(out, v, 0, 16, (flags & ~(PLUS | SPACE)) | ALT, width, precision);
            break;
        }
        case 'c': {
            char ch = (char)va_arg(ap, int);
            field(out, flags & ~ZERO, width, "", 0, 0, &ch, 1);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s) {
                s = "(null)";
            }
            size_t n = 0;
            while ((precision < 0 || n < (size_t)precision) && s[n]) {
                n++;
            }
            field(out, flags & ~ZERO, width, "", 0, 0, s, n);
            break;
        }
        case 'f':
        case 'F':
            fixed(out, va_arg(ap, double), flags | (c == 'F' ? UPPER : 0u), width, precision);
            break;
        case '%':
            put(out, "%", 1);
            break;
        default:
            put(out, spec, (size_t)(f - spec)); /* not a conversion this printf knows: as written */
            break;
        }
    }
    va_end(ap);
}

int vsnprintf(char *buffer, size_t size, const char *format, va_list args) {
    bento_out_t out = {buffer, size > 0 ? size - 1 : 0, 0, 0, 0};
    bento_format(&out, format, args);
    if (size > 0) {
        buffer[out.used] = 0;
    }
    return out.total > INT32_MAX ? -1 : (int)out.total;
}

int snprintf(char *buffer, size_t size, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vsnprintf(buffer, size, format, args);
    va_end(args);
    return n;
}

int vsprintf(char *buffer, const char *format, va_list args) {
    return vsnprintf(buffer, SIZE_MAX, format, args);
}

int sprintf(char *buffer, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vsnprintf(buffer, SIZE_MAX, format, args);
    va_end(args);
    return n;
}
