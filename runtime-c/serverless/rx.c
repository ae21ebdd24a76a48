/* The request decoder, fed a byte at a time by the request UART's handler: COBS undone as the
 * bytes come, the CRC kept up to date (four bytes behind, so the frame's own CRC is not in it), the
 * body written straight into a free request slot. A frame is judged at its closing 0x00; one the
 * next frame's leading 0x00 cuts short is answered as cut. Every frame gets one answer: its request
 * queued, or a notice (docs/serverless-protocol.md).
 *
 * There is no timeout for a frame left half-sent: the next frame's 0x00 ends it. Under QEMU's
 * -icount, virtual time jumps while the core waits in WFI, so a pause between two bytes would
 * measure nothing real; and a host that stops mid-frame is not waiting for the answer. */
#include "bento/primask.h"
#include "internal.h"

#define HEAD_BYTES 48u

static struct {
    uint8_t in_frame;
    uint8_t block_code;
    uint8_t block_left;
    uint32_t length;
    uint32_t crc;
    uint8_t tail[4];
    uint8_t head[HEAD_BYTES];
    sl_slot_t *slot;
} rx;

static uint32_t le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void reset(void) {
    if (rx.slot) {
        sl_slot_release(rx.slot);
    }
    rx.in_frame = 0;
    rx.block_left = 0;
    rx.block_code = 0xff; /* no zero goes before the first block */
    rx.length = 0;
    rx.crc = 0xffffffffu;
    rx.slot = 0;
}

static uint32_t frame_id(void) {
    return rx.length >= 6u ? le32(rx.head + 2) : 0u;
}

static void refuse(uint8_t status, int32_t code, uint32_t now) {
    sl_notice(frame_id(), rx.length >= 1u ? rx.head[0] : 0u, status, code, now);
}

/* A frame whose CRC was not found right: its id may be another request's, so it is answered as 0. */
static void refuse_unchecked(int32_t code, uint32_t now) {
    sl_bad_frames++;
    sl_notice(0u, 0u, BENTO_SL_BAD_FRAME, code, now);
}

static const bento_sl_route_t *route_named(const uint8_t *name, uint32_t length) {
    for (uint32_t i = 0; i < bento_sl_route_count; i++) {
        const bento_sl_route_t *r = &bento_sl_routes[i];
        if (r->route_len != length) {
            continue;
        }
        uint32_t j = 0;
        while (j < length && (uint8_t)r->route[j] == name[j]) {
            j++;
        }
        if (j == length) {
            return r;
        }
    }
    return 0;
}

/* Counter ticks, or 0 past what the 32-bit counter can order (2^30 ticks, wrap-safe). */
static uint32_t ticks_of_us(uint32_t us) {
    uint64_t t = ((uint64_t)us * bento_sl_config.counter_hz + 999999u) / 1000000u;
    return t > SL_MAX_DEADLINE_TICKS ? 0u : (uint32_t)t;
}

/* A whole REQUEST body of `length` bytes, CRC checked: queue it or say why not. */
static void request(uint32_t now) {
    const uint8_t *h = rx.head;
    uint32_t route_len = h[10];
    if (route_len == 0 || route_len > 31u || rx.length < SL_REQUEST_HEAD + route_len + 2u + 4u) {
        refuse(BENTO_SL_BAD_FRAME, BENTO_SL_FRAME_SHORT, now);
        return;
    }
    uint32_t at = SL_REQUEST_HEAD + route_len;
    uint32_t payload = (uint32_t)h[at] | (uint32_t)h[at + 1u] << 8;
    if (at + 2u + payload + 4u != rx.length) {
        refuse(BENTO_SL_BAD_FRAME, BENTO_SL_FRAME_SHORT, now);
        return;
    }
    const bento_sl_route_t *route = route_named(h + SL_REQUEST_HEAD, route_len);
    if (!route) {
        refuse(BENTO_SL_UNKNOWN_ROUTE, 0, now);
        return;
    }
    if (payload > route->max_request) {
        refuse(BENTO_SL_TOO_LARGE, route->max_request, now);
        return;
    }
    uint32_t deadline_us = le32(h + 6);
    uint32_t deadline = deadline_us == 0xffffffffu ? route->deadline_ticks : ticks_of_us(deadline_us);
    if (deadline == 0u) {
        refuse(BENTO_SL_BAD_DEADLINE, 0, now);
        return;
    }
    if (!rx.slot) {
        sl_queue_full++;
        refuse(BENTO_SL_QUEUE_FULL, bento_sl_config.queue_slots, now);
        return;
    }
    sl_slot_t *slot = rx.slot;
    rx.slot = 0;
    slot->route = route;
    slot->id = le32(h + 2);
    slot->payload = slot->body + at + 2u;
    slot->length = (uint16_t)payload;
    slot->deadline = deadline;
    sl_request_arrived(slot, now);
}

/* The closing delimiter of a frame. */
static void frame_end(uint32_t now) {
    if (rx.block_left != 0u) {
        /* A delimiter inside a block: the frame was cut short, by the next frame's leading 0x00. */
        refuse_unchecked(BENTO_SL_FRAME_CUT, now);
        return;
    }
    if (rx.length > SL_MAX_BODY) {
        refuse_unchecked(BENTO_SL_FRAME_LONG, now);
        return;
    }
    if (rx.length < 10u) {
        sl_bad_frames++;
        refuse(BENTO_SL_BAD_FRAME, BENTO_SL_FRAME_SHORT, now);
        return;
    }
    uint32_t n = rx.length;
    uint32_t sent = (uint32_t)rx.tail[(n - 4u) & 3u] | (uint32_t)rx.tail[(n - 3u) & 3u] << 8 | (uint32_t)rx.tail[(n - 2u) & 3u] << 16 | (uint32_t)rx.tail[(n - 1u) & 3u] << 24;
    if (~rx.crc != sent) {
        refuse_unchecked(BENTO_SL_FRAME_CRC, now);
        return;
    }
    uint8_t type = rx.head[0];
    if (rx.head[1] != BENTO_SL_PROTOCOL_VERSION || (type != SL_TYPE_REQUEST && type != SL_TYPE_INFO && type != SL_TYPE_STATS)) {
        refuse(BENTO_SL_BAD_TYPE, type, now);
        return;
    }
    if (type == SL_TYPE_REQUEST) {
        request(now);
        return;
    }
    if (n != 10u) {
        refuse(BENTO_SL_BAD_FRAME, BENTO_SL_FRAME_SHORT, now);
        return;
    }
    sl_notice(frame_id(), type, BENTO_SL_OK, 0, now);
}

static void decoded(uint8_t b) {
    uint32_t n = rx.length;
    if (n >= 4u) {
        rx.crc = sl_crc32_byte(rx.crc, rx.tail[n & 3u]);
    }
    rx.tail[n & 3u] = b;
    if (n < HEAD_BYTES) {
        rx.head[n] = b;
    }
    if (rx.slot && n < bento_sl_config.slot_bytes) {
        rx.slot->body[n] = b;
    }
    rx.length = n + 1u;
}

void sl_rx_byte(uint8_t byte) {
    if (byte == 0u) {
        if (rx.in_frame) {
            frame_end(sl_now());
        }
        reset();
        return;
    }
    if (!rx.in_frame) {
        rx.in_frame = 1;
        rx.slot = sl_slot_take();
    }
    if (rx.block_left == 0u) {
        if (rx.block_code != 0xffu) {
            decoded(0u);
        }
        rx.block_code = byte;
        rx.block_left = (uint8_t)(byte - 1u);
        return;
    }
    decoded(byte);
    rx.block_left--;
}
