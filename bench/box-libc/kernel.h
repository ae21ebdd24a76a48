/* One measurement: `kind` (0 memcpy, 1 memmove forwards, 2 memmove backwards: the
 * destination 64 bytes above an overlapping source, 3 memset) of n bytes, REPEAT times, at the
 * given offsets into two buffers. Shared by the host (newlib's functions) and the box (bento's). */
#include <stdint.h>
#include <string.h>

#define REPEAT 8u
#define SPAN 8192u

static uint8_t buf_a[SPAN + 128] __attribute__((aligned(8)));
static uint8_t buf_b[SPAN + 128] __attribute__((aligned(8)));

static void *(*volatile k_copy)(void *, const void *, size_t) = memcpy;
static void *(*volatile k_move)(void *, const void *, size_t) = memmove;
static void *(*volatile k_fill)(void *, int, size_t) = memset;

static int32_t kernel(int32_t kind, uint32_t src, uint32_t dst, uint32_t n) {
    for (uint32_t r = 0; r < REPEAT; r++) {
        switch (kind) {
        case 0:
            k_copy(buf_b + dst, buf_a + src, n);
            break;
        case 1:
            k_move(buf_a + dst, buf_a + 64 + src, n);
            break;
        case 2:
            k_move(buf_a + 64 + dst, buf_a + src, n);
            break;
        default:
            k_fill(buf_b + dst, (int)r, n);
            break;
        }
    }
    return 0;
}
