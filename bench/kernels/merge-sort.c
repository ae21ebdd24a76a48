/*
 * merge-sort: a stable bottom-up merge sort of 2,000 records of 12 bytes by a 12-bit key (so
 * many keys repeat and stability shows). Runs of 16 are insertion-sorted in place, then merged
 * back and forth between two arrays, whole records moved each time. The records carry their
 * original index, so the checksum can count pairs that are out of order or unstable (0).
 */
#include "kernel.h"

#define N 2000
#define RUN 16

const char *const kernel_name = "merge-sort";

struct record {
    uint32_t key;
    uint32_t id;
    uint32_t weight;
};

static struct record items[N];
static struct record spare[N];
static struct record *sorted;

void kernel_init(void)
{
    lcg_state = 0x6d657267u;
    for (uint32_t i = 0; i < N; i++) {
        items[i].key = lcg_next() >> 20;
        items[i].id = i;
        items[i].weight = lcg_next();
    }
    sorted = items;
}

static void merge(const struct record *from, struct record *to, int lo, int mid, int hi)
{
    int i = lo;
    int j = mid;
    int k = lo;
    while (i < mid && j < hi)
        to[k++] = from[j].key < from[i].key ? from[j++] : from[i++];
    while (i < mid)
        to[k++] = from[i++];
    while (j < hi)
        to[k++] = from[j++];
}

void kernel_run(void)
{
    for (int lo = 0; lo < N; lo += RUN) {
        int hi = lo + RUN < N ? lo + RUN : N;
        for (int i = lo + 1; i < hi; i++) {
            struct record r = items[i];
            int j = i;
            while (j > lo && items[j - 1].key > r.key) {
                items[j] = items[j - 1];
                j--;
            }
            items[j] = r;
        }
    }
    struct record *from = items;
    struct record *to = spare;
    for (int width = RUN; width < N; width *= 2) {
        for (int lo = 0; lo < N; lo += 2 * width) {
            int mid = lo + width < N ? lo + width : N;
            int hi = lo + 2 * width < N ? lo + 2 * width : N;
            merge(from, to, lo, mid, hi);
        }
        struct record *t = from;
        from = to;
        to = t;
    }
    sorted = from;
}

/* Every record in order, and the number of neighbours out of key order or, for equal keys, out
 * of their original order (0 for a stable sort). */
uint32_t kernel_checksum(void)
{
    uint32_t h = 0;
    uint32_t bad = 0;
    for (int i = 0; i < N; i++) {
        h = fold(h, sorted[i].key);
        h = fold(h, sorted[i].id);
        h = fold(h, sorted[i].weight);
        if (i > 0 && (sorted[i - 1].key > sorted[i].key || (sorted[i - 1].key == sorted[i].key && sorted[i - 1].id > sorted[i].id)))
            bad++;
    }
    return fold(h, bad);
}
