/*
 * sieve-bits: the sieve of Eratosthenes on a bitset of the odd numbers below 2^19 (bit i is
 * 2i + 1; 32 KiB of words), then population counts: the primes in all, per 4,096 bits, and the
 * twin primes (bits i and i + 1 both set, across word boundaries too).
 */
#include "kernel.h"

#define BITS 262144
#define WORDS (BITS / 32)
#define BLOCKS 64

const char *const kernel_name = "sieve-bits";

static uint32_t bits[WORDS];
static uint32_t per_block[BLOCKS];
static uint32_t primes;
static uint32_t twins;

void kernel_init(void)
{
    primes = 0;
    twins = 0;
}

void kernel_run(void)
{
    for (int w = 0; w < WORDS; w++)
        bits[w] = 0xffffffffu;
    bits[0] &= ~1u; /* 1 is not a prime */
    for (uint32_t i = 1;; i++) {
        uint32_t p = 2 * i + 1;
        if (p * p >= 2 * BITS)
            break;
        if (!(bits[i / 32] >> (i % 32) & 1u))
            continue;
        for (uint32_t j = (p * p) / 2; j < BITS; j += p)
            bits[j / 32] &= ~(1u << (j % 32));
    }
    uint32_t count = 1; /* 2 */
    uint32_t pairs = 0;
    for (int b = 0; b < BLOCKS; b++) {
        uint32_t in_block = 0;
        for (int w = b * (WORDS / BLOCKS); w < (b + 1) * (WORDS / BLOCKS); w++) {
            uint32_t word = bits[w];
            uint32_t next = w + 1 < WORDS ? bits[w + 1] : 0;
            in_block += (uint32_t)__builtin_popcount(word);
            pairs += (uint32_t)__builtin_popcount(word & (word >> 1 | next << 31));
        }
        per_block[b] = in_block;
        count += in_block;
    }
    primes = count;
    twins = pairs;
}

uint32_t kernel_checksum(void)
{
    uint32_t h = fold(fold(0, primes), twins);
    for (int b = 0; b < BLOCKS; b++)
        h = fold(h, per_block[b]);
    for (int w = 0; w < WORDS; w += 97)
        h = fold(h, bits[w]);
    return h;
}
