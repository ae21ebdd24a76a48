/*
 * introsort: sorts 10,000 int32 in place. Quicksort (median of three, Hoare partition,
 * recursing into the smaller side only), insertion sort below SMALL elements, and heapsort
 * once the recursion is 2 * log2(n) deep. The input is random over the whole int32 range,
 * with one element in ten drawn from 0..63 so there are runs of equal keys.
 */
#include "kernel.h"

#define COUNT 10000
#define SMALL 16

const char *const kernel_name = "introsort";

static int32_t items[COUNT];

static void swap(int32_t *a, int32_t *b)
{
    int32_t t = *a;
    *a = *b;
    *b = t;
}

static void insertion_sort(int32_t *a, int n)
{
    for (int i = 1; i < n; i++) {
        int32_t v = a[i];
        int j = i;
        while (j > 0 && a[j - 1] > v) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}

static void sift_down(int32_t *a, int root, int n)
{
    int32_t v = a[root];
    for (;;) {
        int child = 2 * root + 1;
        if (child >= n)
            break;
        if (child + 1 < n && a[child + 1] > a[child])
            child++;
        if (a[child] <= v)
            break;
        a[root] = a[child];
        root = child;
    }
    a[root] = v;
}

static void heap_sort(int32_t *a, int n)
{
    for (int i = n / 2 - 1; i >= 0; i--)
        sift_down(a, i, n);
    for (int end = n - 1; end > 0; end--) {
        swap(&a[0], &a[end]);
        sift_down(a, 0, end);
    }
}

/*
 * Hoare partition around the median of a[0], a[mid], a[n-1], for n >= 3. Returns p with
 * 1 <= p <= n-1, every a[0..p) <= pivot and every a[p..n) >= pivot.
 */
static int partition(int32_t *a, int n)
{
    int mid = (n - 1) / 2;
    if (a[mid] < a[0])
        swap(&a[mid], &a[0]);
    if (a[n - 1] < a[0])
        swap(&a[n - 1], &a[0]);
    if (a[n - 1] < a[mid])
        swap(&a[n - 1], &a[mid]);
    int32_t pivot = a[mid];

    int i = -1;
    int j = n;
    for (;;) {
        do
            i++;
        while (a[i] < pivot);
        do
            j--;
        while (a[j] > pivot);
        if (i >= j)
            return j + 1;
        swap(&a[i], &a[j]);
    }
}

static void intro_sort(int32_t *a, int n, int depth)
{
    while (n > SMALL) {
        if (depth == 0) {
            heap_sort(a, n);
            return;
        }
        depth--;
        int p = partition(a, n);
        if (p < n - p) {
            intro_sort(a, p, depth);
            a += p;
            n -= p;
        } else {
            intro_sort(a + p, n - p, depth);
            n = p;
        }
    }
    insertion_sort(a, n);
}

void kernel_init(void)
{
    lcg_state = 0x736f7274u;
    for (int i = 0; i < COUNT; i++) {
        uint32_t r = lcg_next();
        items[i] = i % 10 == 0 ? (int32_t)(r >> 26) : (int32_t)r;
    }
}

void kernel_run(void)
{
    int depth = 0;
    for (int n = COUNT; n > 1; n >>= 1)
        depth += 2;
    intro_sort(items, COUNT, depth);
}

/* folds the sorted items and, last, how many adjacent pairs are out of order (0) */
uint32_t kernel_checksum(void)
{
    uint32_t h = 0x811c9dc5u;
    uint32_t unordered = 0;
    for (int i = 0; i < COUNT; i++) {
        h = fold(h, (uint32_t)items[i]);
        if (i > 0 && items[i - 1] > items[i])
            unordered++;
    }
    return fold(h, unordered);
}
