/* The two requests a native box's C library makes of the host, as SVCs (runtime-c/box/svc.c):
 * an abort with a line of text, and a write to the console (the `printf` service). Both pass
 * an address and a length in the box's own memory; the host checks them. */
#include <stddef.h>
#include <stdint.h>

#include "bento/box.h"
#include "box-libc.h"

#define STR(x) #x
#define SVC(n) "svc #" STR(n)

__attribute__((naked, noreturn)) void bento_libc_abort_text(int32_t code, const char *text, size_t length) {
    __asm__ volatile(SVC(BENTO_SVC_ABORT_TEXT) "\n\tb .");
}

__attribute__((naked)) int32_t bento_libc_console_write(const void *text, size_t length) {
    __asm__ volatile(SVC(BENTO_SVC_CONSOLE) "\n\tbx lr");
}
