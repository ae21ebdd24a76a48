/*
 * hash-probe: a hash table with open addressing (linear probing) and string keys. 1,536 words
 * of 4 to 11 letters are generated into a pool; 2,048 operations insert words from the first
 * 1,024 (a repeated word counts up), then 2,048 look words up from all 1,536 (a third of them
 * never inserted). Keys are hashed with FNV-1a and compared byte by byte; the table has 2,048
 * slots, so it is at most half full.
 */
#include "kernel.h"

#define WORDS 1536
#define INSERTED 1024
#define MAX_LEN 11
#define OPS 4096
#define SLOTS 2048
#define EMPTY 0xffffu

const char *const kernel_name = "hash-probe";

struct slot {
    uint32_t hash;
    uint16_t word;
    uint16_t count;
};

static uint8_t pool[WORDS * MAX_LEN];
static uint16_t word_at[WORDS];
static uint8_t word_len[WORDS];
static uint16_t ops[OPS];
static struct slot table[SLOTS];
static uint32_t found_sum;
static uint32_t misses;
static uint32_t probes;

void kernel_init(void)
{
    lcg_state = 0x68617368u;
    uint32_t at = 0;
    for (int w = 0; w < WORDS; w++) {
        uint32_t len = 4 + (lcg_next() >> 29);
        word_at[w] = (uint16_t)at;
        word_len[w] = (uint8_t)len;
        for (uint32_t i = 0; i < len; i++)
            pool[at++] = (uint8_t)('a' + (lcg_next() >> 28));
    }
    for (int i = 0; i < OPS / 2; i++)
        ops[i] = (uint16_t)((lcg_next() >> 16) % INSERTED);
    for (int i = OPS / 2; i < OPS; i++)
        ops[i] = (uint16_t)((lcg_next() >> 16) % WORDS);
}

static uint32_t hash_of(const uint8_t *s, uint32_t len)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < len; i++)
        h = (h ^ s[i]) * 16777619u;
    return h;
}

static int same(uint16_t a, uint16_t b)
{
    if (word_len[a] != word_len[b])
        return 0;
    const uint8_t *p = &pool[word_at[a]];
    const uint8_t *q = &pool[word_at[b]];
    for (uint32_t i = 0; i < word_len[a]; i++)
        if (p[i] != q[i])
            return 0;
    return 1;
}

/* The slot holding word w, or the empty slot where it would go. */
static struct slot *find(uint16_t w, uint32_t h)
{
    uint32_t i = h & (SLOTS - 1);
    while (table[i].word != EMPTY && !(table[i].hash == h && same(table[i].word, w))) {
        i = (i + 1) & (SLOTS - 1);
        probes++;
    }
    return &table[i];
}

void kernel_run(void)
{
    for (int i = 0; i < SLOTS; i++) {
        table[i].word = EMPTY;
        table[i].count = 0;
        table[i].hash = 0;
    }
    found_sum = 0;
    misses = 0;
    probes = 0;
    for (int i = 0; i < OPS / 2; i++) {
        uint16_t w = ops[i];
        uint32_t h = hash_of(&pool[word_at[w]], word_len[w]);
        struct slot *s = find(w, h);
        if (s->word == EMPTY) {
            s->word = w;
            s->hash = h;
        }
        s->count++;
    }
    for (int i = OPS / 2; i < OPS; i++) {
        uint16_t w = ops[i];
        struct slot *s = find(w, hash_of(&pool[word_at[w]], word_len[w]));
        if (s->word == EMPTY)
            misses++;
        else
            found_sum += s->count;
    }
}

uint32_t kernel_checksum(void)
{
    uint32_t h = fold(fold(fold(0, found_sum), misses), probes);
    for (int i = 0; i < SLOTS; i++)
        h = fold(h, (uint32_t)table[i].word << 16 | table[i].count);
    return h;
}
