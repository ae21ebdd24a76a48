/* Answers to the host: frames COBS-encoded straight into a ring that the request UART's handler
 * sends a byte per interrupt, so a function never waits for the line. COBS needs each block's
 * length before its bytes, so a block's code byte is written when the block closes; the handler
 * sends only what is final (`head`), at most a block (255 bytes) behind the writer.
 *
 * One writer: the dispatcher in Thread mode. Preemption happens only while a function's own
 * code runs, never while a frame is being written, so frames never interleave. */
#include "bento/primask.h"
#include "internal.h"

#define RING 1024u /* a power of two, more than a COBS block */

static uint8_t ring[RING];
static volatile uint32_t head, tail; /* head: final bytes end; tail: the handler's next byte */
static uint32_t wr;                  /* the writer's next byte (head <= wr) */
static uint32_t code_at;
static uint8_t code;
static uint32_t crc;

/* Waits, interrupts held across the check and WFI, so a handler that frees room between the two
 * still wakes it. */
static void wait_room(void) {
    while (wr - tail >= RING) {
        sl_uart_kick();
        uint32_t held = bento_hold_interrupts();
        if (wr - tail >= RING) {
            __asm__ volatile("wfi");
        }
        bento_release_interrupts(held);
    }
}

static void put_raw(uint8_t b) {
    wait_room();
    ring[wr & (RING - 1u)] = b;
    wr++;
}

static void close_block(void) {
    ring[code_at & (RING - 1u)] = code;
    head = wr;
    sl_uart_kick();
}

static void open_block(void) {
    code_at = wr;
    put_raw(0xffu); /* its code, set when the block closes */
    code = 1;
}

static void put(uint8_t b) {
    crc = sl_crc32_byte(crc, b);
    if (b == 0u) {
        close_block();
        open_block();
        return;
    }
    put_raw(b);
    if (++code == 0xffu) {
        close_block();
        open_block();
    }
}

static void put16(uint32_t v) {
    put((uint8_t)v);
    put((uint8_t)(v >> 8));
}

static void put32(uint32_t v) {
    put16(v);
    put16(v >> 16);
}

static void begin(uint8_t type, uint32_t id) {
    put_raw(0u);
    head = wr;
    crc = 0xffffffffu;
    open_block();
    put(type);
    put(BENTO_SL_PROTOCOL_VERSION);
    put32(id);
}

static void end(void) {
    uint32_t sum = ~crc;
    put32(sum);
    close_block();
    put_raw(0u);
    head = wr;
    sl_uart_kick();
}

static void put_name(const bento_sl_route_t *r) {
    put(r->route_len);
    for (uint32_t i = 0; i < r->route_len; i++) {
        put((uint8_t)r->route[i]);
    }
}

void sl_tx_reply(uint32_t id, uint8_t status, int32_t code_, uint32_t queued, uint32_t run, uint32_t latency, const uint8_t *payload, uint32_t length) {
    begin(SL_REPLY | SL_TYPE_REQUEST, id);
    put(status);
    put32((uint32_t)code_);
    put32(queued);
    put32(run);
    put32(latency);
    put16(length);
    for (uint32_t i = 0; i < length; i++) {
        put(payload[i]);
    }
    end();
}

void sl_tx_info(uint32_t id) {
    const bento_sl_config_t *c = &bento_sl_config;
    begin(SL_REPLY | SL_TYPE_INFO, id);
    put32(c->counter_hz);
    put(c->policy);
    put16(c->utilisation_milli);
    put16(c->queue_slots);
    put((uint8_t)bento_sl_route_count);
    for (uint32_t i = 0; i < bento_sl_route_count; i++) {
        const bento_sl_route_t *r = &bento_sl_routes[i];
        put_name(r);
        put32(r->expected_us);
        put32(r->deadline_us);
        put32(r->budget_us);
        put16(r->max_request);
        put16(r->max_response);
        put(r->fresh ? 0u : 1u);
    }
    end();
}

void sl_tx_stats(uint32_t id) {
    begin(SL_REPLY | SL_TYPE_STATS, id);
    put32(sl_now());
    put32(sl_bad_frames);
    put32(sl_queue_full);
    put((uint8_t)bento_sl_route_count);
    for (uint32_t i = 0; i < bento_sl_route_count; i++) {
        const bento_sl_route_t *r = &bento_sl_routes[i];
        const bento_sl_route_stats_t *s = r->stats;
        put_name(r);
        put32(s->served);
        put32(s->rejected);
        put32(s->missed);
        put32(s->failed);
        put32(s->budget);
        put32(s->restores);
        put32(s->restore_ticks);
        put(BENTO_SL_BUCKETS);
        for (uint32_t b = 0; b < BENTO_SL_BUCKETS; b++) {
            put32(s->latency[b]);
        }
    }
    end();
}

int sl_tx_next(uint8_t *byte) {
    uint32_t t = tail;
    if (t == head) {
        return 0;
    }
    *byte = ring[t & (RING - 1u)];
    tail = t + 1u;
    return 1;
}
