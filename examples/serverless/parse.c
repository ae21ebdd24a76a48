/* Sensor records, "id=7,t=21.5,h=40" separated by ';' or newlines, summed up: how many records
 * were good, how many were not, and the minimum, maximum and mean temperature in tenths of a
 * degree. The response is 16 bytes, little-endian: u16 good, u16 bad, i32 min, i32 max, i32 mean. */
#include <stddef.h>
#include <stdint.h>

#include "bento_box.h"

/* A decimal with at most one fractional digit, in tenths; -1 on a malformed number. */
static int tenths(const uint8_t *p, size_t n, int32_t *out) {
    size_t i = 0;
    int negative = 0;
    if (i < n && p[i] == '-') {
        negative = 1;
        i++;
    }
    int32_t whole = 0;
    size_t digits = 0;
    while (i < n && p[i] >= '0' && p[i] <= '9' && digits < 6) {
        whole = whole * 10 + (p[i++] - '0');
        digits++;
    }
    int32_t frac = 0;
    if (i < n && p[i] == '.') {
        i++;
        if (i < n && p[i] >= '0' && p[i] <= '9') {
            frac = p[i++] - '0';
        }
    }
    if (digits == 0 || i != n) {
        return -1;
    }
    *out = (whole * 10 + frac) * (negative ? -1 : 1);
    return 0;
}

/* One record: fields key=value separated by ','; it needs an id and a temperature t. */
static int record(const uint8_t *p, size_t n, int32_t *temperature) {
    int has_id = 0, has_t = 0;
    size_t start = 0;
    while (start < n) {
        size_t end = start;
        while (end < n && p[end] != ',') {
            end++;
        }
        size_t eq = start;
        while (eq < end && p[eq] != '=') {
            eq++;
        }
        if (eq == end || eq == start) {
            return -1;
        }
        int32_t value;
        if (tenths(p + eq + 1, end - eq - 1, &value) != 0) {
            return -1;
        }
        if (eq - start == 2 && p[start] == 'i' && p[start + 1] == 'd') {
            has_id = 1;
        } else if (eq - start == 1 && p[start] == 't') {
            has_t = 1;
            *temperature = value;
        }
        start = end + 1;
    }
    return has_id && has_t ? 0 : -1;
}

static void put32(uint8_t *p, int32_t v) {
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)((uint32_t)v >> (8 * i));
    }
}

ssize_t handle(const uint8_t *req, size_t len, uint8_t *resp, size_t cap) {
    if (cap < 16) {
        return -32;
    }
    uint32_t good = 0, bad = 0;
    int32_t min = INT32_MAX, max = INT32_MIN;
    int64_t sum = 0;
    size_t start = 0;
    while (start < len) {
        size_t end = start;
        while (end < len && req[end] != ';' && req[end] != '\n') {
            end++;
        }
        if (end > start) {
            int32_t t;
            if (record(req + start, end - start, &t) == 0) {
                good++;
                sum += t;
                min = t < min ? t : min;
                max = t > max ? t : max;
            } else {
                bad++;
            }
        }
        start = end + 1;
    }
    resp[0] = (uint8_t)good;
    resp[1] = (uint8_t)(good >> 8);
    resp[2] = (uint8_t)bad;
    resp[3] = (uint8_t)(bad >> 8);
    put32(resp + 4, good ? min : 0);
    put32(resp + 8, good ? max : 0);
    put32(resp + 12, good ? (int32_t)(sum / (int64_t)good) : 0);
    return 16;
}
