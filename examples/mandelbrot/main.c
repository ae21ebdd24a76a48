/* mandelbrot: the host asks the fractal box for each row through a buffer (copied onto the
 * box's stack and back by the glue) and prints it. */
#include <stdio.h>

#include "bento_host.h"

#define COLUMNS 60
#define ROWS 24

int main(void) {
    /* One byte more than the box fills, for the string's terminator. */
    uint8_t line[COLUMNS + 1];
    int32_t inside = 0;
    for (int32_t row = 0; row < ROWS; row++) {
        int32_t n = render_row(row, ROWS, line, COLUMNS);
        if (n < 0) {
            printf("render_row(%ld) = %ld (%s)\n", (long)row, (long)n, bento_box_error_name(n));
            return 1;
        }
        line[COLUMNS] = '\0';
        printf("|%s|\n", (const char *)line);
        inside += n;
    }
    printf("mandelbrot: %ld of %d points in the set\n", (long)inside, COLUMNS * ROWS);
    return 0;
}
