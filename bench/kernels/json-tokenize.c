/*
 * json-tokenize: a JSON tokenizer over 32 KiB of generated text. kernel_init writes an array of
 * records with nested objects and arrays, strings (some with \" \\ \n escapes), integers,
 * decimals with exponents, true, false and null, spaced and indented at random. kernel_run
 * scans it once: a switch on each token's first byte, strings hashed (FNV-1a, escapes decoded),
 * numbers parsed to a mantissa and a decimal exponent, literals matched, and the nesting depth
 * tracked. Anything malformed counts as an error (0 for this text).
 */
#include "kernel.h"

#define TEXT 32768

const char *const kernel_name = "json-tokenize";

enum { OBJECTS, ARRAYS, STRINGS, NUMBERS, LITERALS, PUNCTUATION, KINDS };

static char text[TEXT];
static uint32_t text_len;
static uint32_t count[KINDS];
static uint32_t string_hash;
static uint32_t number_fold;
static uint32_t max_depth;
static uint32_t errors;

/* The generator: appends to text, never past its end (a record is only begun with room left). */
static uint32_t at;

static void put(char c)
{
    text[at++] = c;
}

static void put_str(const char *s)
{
    while (*s)
        put(*s++);
}

static void put_uint(uint32_t v)
{
    char digits[10];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        put(digits[--n]);
}

static void space(void)
{
    uint32_t r = lcg_next() >> 29;
    if (r == 0) {
        put('\n');
        for (uint32_t i = lcg_next() >> 30; i < 4; i++)
            put(' ');
    } else if (r < 3) {
        put(' ');
    }
}

static void value(int depth);

static void string(void)
{
    put('"');
    uint32_t len = 1 + (lcg_next() >> 28);
    for (uint32_t i = 0; i < len; i++) {
        uint32_t r = lcg_next() >> 26;
        if (r == 0)
            put_str("\\\"");
        else if (r == 1)
            put_str("\\\\");
        else if (r == 2)
            put_str("\\n");
        else
            put((char)('a' + r % 26));
    }
    put('"');
}

static void value(int depth)
{
    uint32_t r = (lcg_next() >> 16) % (depth < 4 ? 10u : 7u);
    if (r == 0) {
        put_str(lcg_next() >> 31 ? "true" : "false");
    } else if (r == 1) {
        put_str("null");
    } else if (r <= 3) {
        string();
    } else if (r == 4) {
        if (lcg_next() >> 31)
            put('-');
        uint32_t shift = lcg_next() >> 27;
        put_uint(lcg_next() >> shift);
    } else if (r <= 6) {
        if (lcg_next() >> 31)
            put('-');
        put_uint(lcg_next() >> 22);
        put('.');
        put_uint(lcg_next() >> 20);
        if (lcg_next() >> 30 == 0) {
            put(lcg_next() >> 31 ? 'e' : 'E');
            if (lcg_next() >> 31)
                put('-');
            put_uint(lcg_next() >> 28);
        }
    } else if (r <= 8) {
        uint32_t n = lcg_next() >> 30;
        put('{');
        for (uint32_t i = 0; i <= n; i++) {
            space();
            string();
            put(':');
            space();
            value(depth + 1);
            if (i < n)
                put(',');
        }
        space();
        put('}');
    } else {
        uint32_t n = lcg_next() >> 29;
        put('[');
        for (uint32_t i = 0; i < n; i++) {
            space();
            value(depth + 1);
            if (i + 1 < n)
                put(',');
        }
        put(']');
    }
}

void kernel_init(void)
{
    lcg_state = 0x6a736f6eu;
    at = 0;
    put('[');
    /* A record is at most a few hundred bytes at depth 4 and below; leave it 2 KiB. */
    while (at < TEXT - 2048) {
        if (at > 1)
            put(',');
        space();
        put_str("{\"id\":");
        put_uint(at);
        put_str(",\"data\":");
        value(1);
        put('}');
    }
    put(']');
    put('\n');
    text_len = at;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

void kernel_run(void)
{
    for (int k = 0; k < KINDS; k++)
        count[k] = 0;
    string_hash = 2166136261u;
    number_fold = 0;
    max_depth = 0;
    errors = 0;
    uint32_t depth = 0;
    const char *p = text;
    const char *end = text + text_len;
    while (p < end) {
        char c = *p++;
        switch (c) {
        case ' ':
        case '\n':
        case '\t':
        case '\r':
            break;
        case '{':
        case '[':
            count[c == '{' ? OBJECTS : ARRAYS]++;
            if (++depth > max_depth)
                max_depth = depth;
            break;
        case '}':
        case ']':
            if (depth == 0)
                errors++;
            else
                depth--;
            break;
        case ',':
        case ':':
            count[PUNCTUATION]++;
            break;
        case '"': {
            uint32_t h = string_hash;
            while (p < end && *p != '"') {
                char ch = *p++;
                if (ch == '\\' && p < end) {
                    ch = *p++;
                    if (ch == 'n')
                        ch = '\n';
                    else if (ch != '"' && ch != '\\')
                        errors++;
                }
                h = (h ^ (uint8_t)ch) * 16777619u;
            }
            if (p == end)
                errors++;
            else
                p++;
            string_hash = h;
            count[STRINGS]++;
            break;
        }
        case 't':
        case 'f':
        case 'n': {
            const char *word = c == 't' ? "rue" : c == 'f' ? "alse" : "ull";
            while (*word && p < end && *p == *word) {
                p++;
                word++;
            }
            if (*word)
                errors++;
            count[LITERALS]++;
            number_fold = fold(number_fold, (uint8_t)c);
            break;
        }
        default:
            if (c == '-' || is_digit(c)) {
                int negative = c == '-';
                uint32_t mantissa = negative ? 0 : (uint32_t)(c - '0');
                int32_t exponent = 0;
                if (negative && !(p < end && is_digit(*p)))
                    errors++;
                while (p < end && is_digit(*p))
                    mantissa = mantissa * 10 + (uint32_t)(*p++ - '0');
                if (p < end && *p == '.') {
                    p++;
                    if (!(p < end && is_digit(*p)))
                        errors++;
                    while (p < end && is_digit(*p)) {
                        mantissa = mantissa * 10 + (uint32_t)(*p++ - '0');
                        exponent--;
                    }
                }
                if (p < end && (*p == 'e' || *p == 'E')) {
                    p++;
                    int minus = p < end && *p == '-';
                    if (minus || (p < end && *p == '+'))
                        p++;
                    int32_t e = 0;
                    while (p < end && is_digit(*p))
                        e = e * 10 + (*p++ - '0');
                    exponent += minus ? -e : e;
                }
                number_fold = fold(number_fold, negative ? 0u - mantissa : mantissa);
                number_fold = fold(number_fold, (uint32_t)exponent);
                count[NUMBERS]++;
            } else {
                errors++;
            }
        }
    }
    if (depth != 0)
        errors++;
}

uint32_t kernel_checksum(void)
{
    uint32_t h = fold(fold(0, text_len), string_hash);
    h = fold(fold(fold(h, number_fold), max_depth), errors);
    for (int k = 0; k < KINDS; k++)
        h = fold(h, count[k]);
    return h;
}
