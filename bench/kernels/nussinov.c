/*
 * nussinov: the most base pairs in an RNA sequence of N bases by dynamic programming, int32.
 * best[i][j] is the answer for bases i..j:
 *   max(best[i+1][j], best[i][j-1], best[i+1][j-1] + pairs(i, j),
 *       max over i < k < j of best[i][k] + best[k+1][j]).
 * Bases are 0..3 (A, C, G, U); A-U and C-G pair (their codes sum to 3).
 */
#include "kernel.h"

#define N 96

const char *const kernel_name = "nussinov";

static uint8_t seq[N];
static int32_t best[N][N];

static int32_t max32(int32_t a, int32_t b)
{
    return a > b ? a : b;
}

void kernel_init(void)
{
    lcg_state = 0x6e757373u;
    for (int i = 0; i < N; i++)
        seq[i] = (uint8_t)(lcg_next() >> 30);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            best[i][j] = 0;
}

void kernel_run(void)
{
    for (int i = N - 2; i >= 0; i--)
        for (int j = i + 1; j < N; j++) {
            int32_t b = max32(best[i + 1][j], best[i][j - 1]);
            int32_t pairs = seq[i] + seq[j] == 3 ? 1 : 0;
            /* for j == i + 1 the range i+1..j-1 is empty and holds no pairs */
            int32_t inner = j - i >= 2 ? best[i + 1][j - 1] : 0;
            b = max32(b, inner + pairs);
            for (int k = i + 1; k < j; k++)
                b = max32(b, best[i][k] + best[k + 1][j]);
            best[i][j] = b;
        }
}

uint32_t kernel_checksum(void)
{
    uint32_t h = 0x811c9dc5u;
    for (int i = 0; i < N; i++)
        for (int j = i; j < N; j++)
            h = fold(h, (uint32_t)best[i][j]);
    return h;
}
