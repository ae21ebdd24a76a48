/* The sorter box: sorts the caller's array in place with the C library's qsort. The array it
 * sees is the glue's copy on this box's stack, so the box never touches host memory. */
#include <stdlib.h>

#include "bento_sorter.h"

static int compare(const void *a, const void *b) {
    const int32_t x = *(const int32_t *)a;
    const int32_t y = *(const int32_t *)b;
    /* Not x - y: that overflows for values of opposite sign far apart. */
    return (x > y) - (x < y);
}

int32_t sort(int32_t *values, size_t n) {
    qsort(values, n, sizeof values[0], compare);
    return 0;
}
