/* qsort: the host fills 10,000 ints, a wasm box sorts them, and the host checks the result: in
 * order, and the same values as before (an order-independent digest). */
#include <stdio.h>

#include "bento_host.h"

#define COUNT 10000
#define SEED 1u

static int32_t values[COUNT];

/* Numerical Recipes' LCG: the same values on every run and board, the full 32-bit range, so
 * negative values test the comparison too. */
static uint32_t lcg(uint32_t *state) {
    *state = *state * 1664525u + 1013904223u;
    return *state;
}

/* Sum of a mixed hash of each value: independent of order, but a lost, duplicated or changed
 * value changes it. */
static uint32_t digest(const int32_t *v, size_t n) {
    uint32_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t h = (uint32_t)v[i];
        h ^= h >> 16;
        h *= 0x7feb352du;
        h ^= h >> 15;
        h *= 0x846ca68bu;
        h ^= h >> 16;
        sum += h;
    }
    return sum;
}

static size_t first_out_of_order(const int32_t *v, size_t n) {
    for (size_t i = 1; i < n; i++) {
        if (v[i - 1] > v[i]) {
            return i;
        }
    }
    return n;
}

int main(void) {
    uint32_t state = SEED;
    for (size_t i = 0; i < COUNT; i++) {
        values[i] = (int32_t)lcg(&state);
    }
    const uint32_t before = digest(values, COUNT);
    printf("qsort: %d values from an LCG (seed %u), %u bytes\n", COUNT, SEED, (unsigned)sizeof values);
    printf("before: first %ld, last %ld, digest 0x%08lx\n", (long)values[0], (long)values[COUNT - 1], (unsigned long)before);

    int32_t err = sort(values, COUNT);
    printf("sort(values, %d) = %ld", COUNT, (long)err);
    if (err < 0) {
        printf(" (%s)\n", bento_box_error_name(err));
        return 1;
    }
    printf("\n");

    const uint32_t after = digest(values, COUNT);
    printf("after: min %ld, median %ld, max %ld, digest 0x%08lx\n", (long)values[0], (long)values[COUNT / 2],
           (long)values[COUNT - 1], (unsigned long)after);

    size_t bad = first_out_of_order(values, COUNT);
    if (bad != COUNT) {
        printf("qsort: FAIL: values[%u] = %ld < values[%u] = %ld\n", (unsigned)bad, (long)values[bad], (unsigned)(bad - 1),
               (long)values[bad - 1]);
        return 1;
    }
    if (after != before) {
        printf("qsort: FAIL: the digest changed, so values were lost or altered\n");
        return 1;
    }
    printf("qsort: OK, %d values in order, digest unchanged\n", COUNT);
    return 0;
}
