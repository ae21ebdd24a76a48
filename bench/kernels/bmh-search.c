/*
 * bmh-search: Boyer-Moore-Horspool string search. 32 KiB of text (words of a 64-word
 * vocabulary over 12 letters) is searched for 16 patterns of 5 to 16 bytes, every occurrence
 * counted (overlaps too). 12 patterns are cut from the text, 4 are random letters. Each search
 * builds its 256-entry skip table, then compares from the pattern's last byte.
 */
#include "kernel.h"

#define TEXT 32768
#define PATTERNS 16
#define MAX_PATTERN 16
#define VOCABULARY 64

const char *const kernel_name = "bmh-search";

static uint8_t text[TEXT];
static uint8_t pattern[PATTERNS][MAX_PATTERN];
static uint32_t pattern_len[PATTERNS];
static uint32_t skip[256];
static uint32_t hits[PATTERNS];
static uint32_t position_sum[PATTERNS];

void kernel_init(void)
{
    static uint8_t word[VOCABULARY][8];
    static uint32_t word_len[VOCABULARY];
    lcg_state = 0x626d6873u;
    for (int w = 0; w < VOCABULARY; w++) {
        word_len[w] = 2 + (lcg_next() >> 29) % 6;
        for (uint32_t i = 0; i < word_len[w]; i++)
            word[w][i] = (uint8_t)('a' + (lcg_next() >> 16) % 12);
    }
    uint32_t at = 0;
    while (at < TEXT) {
        uint32_t w = lcg_next() >> 26;
        for (uint32_t i = 0; i < word_len[w] && at < TEXT; i++)
            text[at++] = word[w][i];
        if (at < TEXT)
            text[at++] = ' ';
    }
    for (int p = 0; p < PATTERNS; p++) {
        pattern_len[p] = 5 + (lcg_next() >> 16) % (MAX_PATTERN - 4);
        if (p % 4 == 3) {
            for (uint32_t i = 0; i < pattern_len[p]; i++)
                pattern[p][i] = (uint8_t)('a' + (lcg_next() >> 16) % 12);
        } else {
            uint32_t from = (lcg_next() >> 16) % (TEXT - MAX_PATTERN);
            for (uint32_t i = 0; i < pattern_len[p]; i++)
                pattern[p][i] = text[from + i];
        }
        hits[p] = 0;
        position_sum[p] = 0;
    }
}

static void search(int p)
{
    const uint8_t *pat = pattern[p];
    const uint32_t m = pattern_len[p];
    for (int c = 0; c < 256; c++)
        skip[c] = m;
    for (uint32_t i = 0; i + 1 < m; i++)
        skip[pat[i]] = m - 1 - i;
    const uint8_t last = pat[m - 1];
    uint32_t n = 0;
    uint32_t sum = 0;
    for (uint32_t at = 0; at + m <= TEXT;) {
        uint8_t c = text[at + m - 1];
        if (c == last) {
            uint32_t i = 0;
            while (i + 1 < m && text[at + i] == pat[i])
                i++;
            if (i + 1 == m) {
                n++;
                sum += at;
            }
        }
        at += skip[c];
    }
    hits[p] = n;
    position_sum[p] = sum;
}

void kernel_run(void)
{
    for (int p = 0; p < PATTERNS; p++)
        search(p);
}

uint32_t kernel_checksum(void)
{
    uint32_t h = 0;
    for (int p = 0; p < PATTERNS; p++)
        h = fold(fold(h, hits[p]), position_sum[p]);
    return h;
}
