/* Exercises runtime-c/wasm-box/malloc.c over a 4 KiB heap (test/wasm-box/malloc.test.ts). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern unsigned char __heap_base;

/* Kept, so the compiler cannot drop an allocation it sees unused (and assume it succeeded). */
void *volatile kept;

static const char *got(void *p) {
    kept = p;
    return p != NULL ? "yes" : "no";
}

static int aligned(void *p, uintptr_t to) {
    return ((uintptr_t)p & (to - 1)) == 0;
}

int main(void) {
    /* Fill the heap with 100-byte blocks, each with its own pattern, then check them all. */
    void *block[64];
    int n = 0;
    while (n < 64 && (block[n] = malloc(100)) != NULL) {
        memset(block[n], n, 100);
        n++;
    }
    int intact = 0, in_heap = 0, all_aligned = 1;
    for (int i = 0; i < n; i++) {
        unsigned char *b = block[i];
        int same = 1;
        for (int k = 0; k < 100; k++) same &= b[k] == (unsigned char)i;
        intact += same;
        in_heap += b >= &__heap_base && b + 100 <= &__heap_base + 4096;
        all_aligned &= aligned(b, 16);
    }
    printf("blocks %d intact %d in-heap %d aligned %d errno-enomem %d\n", n, intact, in_heap, all_aligned, errno == ENOMEM);
    for (int i = 0; i < n; i++) free(block[i]);
    /* Freed neighbours merge again: one block of nearly the whole heap. */
    void *big = malloc(4000);
    printf("after free: 4000 bytes %s", got(big));
    printf(", 5000 bytes %s\n", got(malloc(5000)));
    free(big);
    /* realloc keeps the contents, in place or moved. */
    char *s = malloc(20);
    strcpy(s, "bento box heap");
    char *pin = malloc(16);
    kept = pin;
    uintptr_t was = (uintptr_t)s;
    char *t = realloc(s, 2000);
    printf("realloc: %s, moved %d\n", t, (uintptr_t)t != was);
    was = (uintptr_t)t;
    char *u = realloc(t, 10);
    printf("shrunk in place %d: %.9s\n", (uintptr_t)u == was, u);
    free(u);
    free(pin);
    /* Alignment beyond 16, and calloc. */
    void *a64 = NULL, *a256 = NULL;
    int r1 = posix_memalign(&a64, 64, 100), r2 = posix_memalign(&a256, 256, 300);
    void *a512 = aligned_alloc(512, 8);
    printf("memalign: %d %d aligned %d %d %d\n", r1, r2, aligned(a64, 64), aligned(a256, 256), a512 != NULL && aligned(a512, 512));
    unsigned char *z = calloc(50, 4);
    int zero = 1;
    for (int k = 0; z && k < 200; k++) zero &= z[k] == 0;
    printf("calloc zeroed %d, overflow %s\n", z != NULL && zero, got(calloc(SIZE_MAX / 2, 4)));
    free(a64);
    free(a256);
    free(a512);
    free(z);
    printf("everything freed: 3900 bytes %s\n", got(malloc(3900)));
    return 0;
}
