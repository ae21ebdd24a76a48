/*
 * lz-codec: an LZ77 byte codec of the LZ4 kind, both ways. 12 KiB of text (words from a
 * vocabulary of 48, so it repeats) is compressed greedily with a 4,096-entry hash table of
 * 4-byte prefixes, then decompressed. A sequence is a token byte (literal count in the high
 * nibble, match length - 4 in the low one, 15 meaning that extension bytes follow, each adding
 * up to 255), the literals, and a 2-byte little-endian match offset. The last sequence has
 * literals only. Matches are copied a byte at a time, so they may overlap their output.
 */
#include "kernel.h"

#define TEXT 12288
#define PACKED_MAX (TEXT + TEXT / 255 + 16)
#define HASH_BITS 12
#define MIN_MATCH 4
#define VOCABULARY 48

const char *const kernel_name = "lz-codec";

static uint8_t text[TEXT];
static uint8_t packed[PACKED_MAX];
static uint8_t unpacked[TEXT];
static uint16_t last_at[1 << HASH_BITS];
static uint32_t packed_len;
static uint32_t unpacked_len;

void kernel_init(void)
{
    static uint8_t word[VOCABULARY][10];
    static uint8_t word_len[VOCABULARY];
    lcg_state = 0x6c7a3737u;
    for (int w = 0; w < VOCABULARY; w++) {
        word_len[w] = (uint8_t)(2 + (lcg_next() >> 29));
        for (int i = 0; i < word_len[w]; i++)
            word[w][i] = (uint8_t)('a' + (lcg_next() >> 16) % 26);
    }
    int at = 0;
    while (at < TEXT) {
        /* Low words are more frequent: the smaller of two draws. */
        uint32_t a = (lcg_next() >> 16) % VOCABULARY;
        uint32_t b = (lcg_next() >> 16) % VOCABULARY;
        uint32_t w = a < b ? a : b;
        for (int i = 0; i < word_len[w] && at < TEXT; i++)
            text[at++] = word[w][i];
        if (at < TEXT)
            text[at++] = (lcg_next() >> 28) == 0 ? '\n' : ' ';
    }
    packed_len = 0;
    unpacked_len = 0;
}

static uint32_t read32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint8_t *put_length(uint8_t *out, uint32_t n)
{
    while (n >= 255) {
        *out++ = 255;
        n -= 255;
    }
    *out++ = (uint8_t)n;
    return out;
}

static uint32_t compress(const uint8_t *in, uint32_t n, uint8_t *out)
{
    uint8_t *o = out;
    for (int i = 0; i < 1 << HASH_BITS; i++)
        last_at[i] = 0xffffu;
    uint32_t anchor = 0;
    uint32_t i = 0;
    while (i + MIN_MATCH <= n) {
        uint32_t v = read32(in + i);
        uint32_t h = (v * 2654435761u) >> (32 - HASH_BITS);
        uint32_t cand = last_at[h];
        last_at[h] = (uint16_t)i;
        if (cand == 0xffffu || read32(in + cand) != v) {
            i++;
            continue;
        }
        uint32_t len = MIN_MATCH;
        while (i + len < n && in[cand + len] == in[i + len])
            len++;
        uint32_t lits = i - anchor;
        uint32_t ml = len - MIN_MATCH;
        *o++ = (uint8_t)((lits < 15 ? lits : 15) << 4 | (ml < 15 ? ml : 15));
        if (lits >= 15)
            o = put_length(o, lits - 15);
        for (uint32_t k = 0; k < lits; k++)
            *o++ = in[anchor + k];
        uint32_t offset = i - cand;
        *o++ = (uint8_t)offset;
        *o++ = (uint8_t)(offset >> 8);
        if (ml >= 15)
            o = put_length(o, ml - 15);
        i += len;
        anchor = i;
    }
    uint32_t lits = n - anchor;
    *o++ = (uint8_t)((lits < 15 ? lits : 15) << 4);
    if (lits >= 15)
        o = put_length(o, lits - 15);
    for (uint32_t k = 0; k < lits; k++)
        *o++ = in[anchor + k];
    return (uint32_t)(o - out);
}

static uint32_t get_length(const uint8_t **p, uint32_t n)
{
    if (n == 15) {
        uint8_t b;
        do {
            b = *(*p)++;
            n += b;
        } while (b == 255);
    }
    return n;
}

static uint32_t decompress(const uint8_t *in, uint32_t n, uint8_t *out)
{
    const uint8_t *p = in;
    const uint8_t *end = in + n;
    uint8_t *o = out;
    for (;;) {
        uint8_t token = *p++;
        uint32_t lits = get_length(&p, token >> 4);
        for (uint32_t k = 0; k < lits; k++)
            *o++ = *p++;
        if (p >= end)
            break;
        uint32_t offset = (uint32_t)p[0] | (uint32_t)p[1] << 8;
        p += 2;
        uint32_t len = get_length(&p, token & 15u) + MIN_MATCH;
        const uint8_t *from = o - offset;
        for (uint32_t k = 0; k < len; k++)
            *o++ = from[k];
    }
    return (uint32_t)(o - out);
}

void kernel_run(void)
{
    packed_len = compress(text, TEXT, packed);
    unpacked_len = decompress(packed, packed_len, unpacked);
}

/* The sizes, the compressed stream, and the bytes that came back different (0). */
uint32_t kernel_checksum(void)
{
    uint32_t h = fold(fold(0, packed_len), unpacked_len);
    for (uint32_t i = 0; i < packed_len; i++)
        h = fold(h, packed[i]);
    uint32_t wrong = 0;
    for (uint32_t i = 0; i < TEXT; i++)
        wrong += unpacked[i] != text[i];
    return fold(h, wrong);
}
