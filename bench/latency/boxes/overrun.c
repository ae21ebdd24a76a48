#include "bento_overrun.h"

int32_t native_overrun(uint32_t x) {
    for (;;) {
        __asm__ volatile("" : "+r"(x));
    }
}
