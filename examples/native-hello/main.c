/* native-hello: prints over the board's UART and exits 0 through semihosting. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t fib(uint32_t n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(void) {
    printf("Hello from bento on %s!\n", BENTO_BOARD_NAME);

    /* A little of everything the C runtime provides: the heap, string functions, arithmetic. */
    char *text = malloc(64);
    if (text == NULL) {
        puts("malloc failed");
        return 1;
    }
    strcpy(text, "boxes keep faults contained");
    printf("%s (%u chars)\n", text, (unsigned)strlen(text));
    free(text);

    printf("fib(20) = %lu\n", (unsigned long)fib(20));
    float f = 1.5f;
    for (int i = 0; i < 10; i++) {
        f = f * 1.25f - 0.125f;
    }
    printf("float check: %d/1000\n", (int)(f * 1000.0f));
    return 0;
}
