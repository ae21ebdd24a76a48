/* The fractal box: one row of the Mandelbrot set as characters, darker where a point escapes
 * more slowly, '#' inside the set. f32 because the M4's FPU is single precision only: f64 would
 * run through software floating point, ten times slower. */
#include "bento_fractal.h"

/* The part of the plane shown: x across, y down. Characters are about twice as tall as wide,
 * and this window is 3.0 x 2.4, which suits 60 x 24 characters. */
#define X_MIN (-2.2f)
#define X_MAX 0.8f
#define Y_MIN (-1.2f)
#define Y_MAX 1.2f

/* Enough for the shape at this size; each extra iteration costs the points inside the set. */
#define MAX_ITERATIONS 64

/* Iterations before |z| > 2, or MAX_ITERATIONS for a point taken to be in the set. */
static int escape_time(float cx, float cy) {
    float x = 0.0f, y = 0.0f;
    int i = 0;
    while (i < MAX_ITERATIONS && x * x + y * y <= 4.0f) {
        const float next_x = x * x - y * y + cx;
        y = 2.0f * x * y + cy;
        x = next_x;
        i++;
    }
    return i;
}

static uint8_t shade(int iterations) {
    /* Thresholds grow roughly geometrically, since most points escape in a few steps. */
    static const struct { int below; char c; } ramp[] = {
        {3, ' '}, {4, '.'}, {5, ':'}, {7, '-'}, {10, '='}, {16, '+'}, {28, '*'}, {MAX_ITERATIONS, '%'},
    };
    for (size_t i = 0; i < sizeof ramp / sizeof ramp[0]; i++) {
        if (iterations < ramp[i].below) {
            return (uint8_t)ramp[i].c;
        }
    }
    return '#';
}

/* Fills line[0..len) with row `row` of `rows` and returns how many of its points are in the set. */
int32_t render_row(int32_t row, int32_t rows, uint8_t *line, size_t len) {
    if (rows <= 0 || row < 0 || row >= rows) {
        return BENTO_E_RANGE;
    }
    /* Sample the middle of each character cell. */
    const float cy = Y_MAX - ((float)row + 0.5f) * (Y_MAX - Y_MIN) / (float)rows;
    int32_t inside = 0;
    for (size_t col = 0; col < len; col++) {
        const float cx = X_MIN + ((float)col + 0.5f) * (X_MAX - X_MIN) / (float)len;
        const int iterations = escape_time(cx, cy);
        inside += iterations == MAX_ITERATIONS;
        line[col] = shade(iterations);
    }
    return inside;
}
