/* The parse box: "21.5" -> 21500, a reading in thousandths; anything else is NOT_A_NUMBER. */
#include <stddef.h>
#include <stdint.h>

#include "bento_parse.h"

#define NOT_A_NUMBER (-1000)

int32_t parse_milli(const uint8_t *text, size_t len) {
    int32_t whole = 0, fraction = 0, scale = 1000;
    size_t i = 0;
    if (len == 0 || len > 9) {
        return NOT_A_NUMBER;
    }
    for (; i < len && text[i] != '.'; i++) {
        if (text[i] < '0' || text[i] > '9') return NOT_A_NUMBER;
        whole = whole * 10 + (text[i] - '0');
    }
    if (i < len) {
        for (i++; i < len && scale > 1; i++) {
            if (text[i] < '0' || text[i] > '9') return NOT_A_NUMBER;
            scale /= 10;
            fraction += (text[i] - '0') * scale;
        }
        if (i < len) return NOT_A_NUMBER; /* more than three decimals */
    }
    return whole * 1000 + fraction;
}
