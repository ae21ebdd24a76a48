/* Serverless functions on the device (recipe: [serverless], [function.<name>]). Requests come in
 * over a UART of their own as frames (docs/serverless-protocol.md), are admitted or refused
 * (SLEdge's admission control), queued by absolute deadline (EDF) or arrival (FIFO), and each
 * runs the route's Wasm box's handle(req, len, resp, cap). A request with an earlier deadline
 * preempts a running function: PendSV has the host thread run the dispatcher on top of the
 * interrupted function, whose box keeps its own stack (runtime-c/irq/deferred.c). A `fresh`
 * function's instance is put back to its state after start-up before every request, from a
 * snapshot taken once. The generated glue (build/<board>/glue/serverless.c) gives the routes. */
#ifndef BENTO_SERVERLESS_H
#define BENTO_SERVERLESS_H

#include <stdint.h>

#include "bento/box.h"

#define BENTO_SL_PROTOCOL_VERSION 1u
/* Latency histogram: bucket i counts latencies of 2^(i+8) .. 2^(i+9) - 1 ticks. */
#define BENTO_SL_BUCKETS 20u
#define BENTO_SL_BUCKET_SHIFT 8u

enum bento_sl_status {
    BENTO_SL_OK = 0,
    BENTO_SL_REJECTED = 1,
    BENTO_SL_DEADLINE_MISSED = 2,
    BENTO_SL_FUNCTION_ERROR = 3,
    BENTO_SL_BUDGET_EXCEEDED = 4,
    BENTO_SL_BAD_FRAME = 5,
    BENTO_SL_UNKNOWN_ROUTE = 6,
    BENTO_SL_TOO_LARGE = 7,
    BENTO_SL_BAD_DEADLINE = 8,
    BENTO_SL_QUEUE_FULL = 9,
    BENTO_SL_BAD_TYPE = 10,
};

/* BAD_FRAME's code: what was wrong with it. */
enum bento_sl_bad_frame {
    BENTO_SL_FRAME_COBS = 1,
    BENTO_SL_FRAME_CRC = 2,
    BENTO_SL_FRAME_SHORT = 3,
    BENTO_SL_FRAME_LONG = 4,
    BENTO_SL_FRAME_CUT = 5,
};

typedef struct {
    uint32_t served;   /* answered OK, in time */
    uint32_t rejected; /* refused by admission control */
    uint32_t missed;   /* deadline passed: before it could start, or it finished late */
    uint32_t failed;   /* the function returned an error, trapped or faulted */
    uint32_t budget;   /* stopped at its CPU budget */
    uint32_t restores; /* a fresh instance put back from its snapshot */
    uint32_t restore_ticks;
    uint32_t latency[BENTO_SL_BUCKETS];
} bento_sl_route_stats_t;

/* A fresh function's instance as its start-up left it: the box's RAM above its stack (the
 * module's globals, tables and instance record) and the prefix of its linear memory that holds
 * anything but zeros. Restoring copies both and clears the rest of the memory. */
typedef struct {
    uint8_t *ram;       /* host-heap copy of [ram_lo, ram_hi) */
    uint8_t *memory;    /* host-heap copy of the memory's first `memory_used` bytes */
    uint32_t memory_used;
    uint8_t taken;
    uint8_t dirty;      /* a request ran since the last restore */
} bento_sl_snapshot_t;

typedef struct {
    const char *route;
    uint8_t route_len;
    uint8_t fresh;
    uint16_t max_request;
    uint16_t max_response;
    bento_box_t *box;
    /* The box's handle() through its checked link: the result, or a negative error. */
    int32_t (*call)(const uint8_t *req, uint32_t len, uint8_t *resp, uint32_t cap);
    uint32_t expected_ticks;
    uint32_t deadline_ticks;
    uint32_t expected_us;
    uint32_t deadline_us;
    uint32_t budget_us;
    uint8_t *response; /* max_response bytes */
    uint8_t *ram_lo, *ram_hi;
    uint8_t *memory;
    uint32_t memory_size;
    const volatile uint32_t *live_size; /* the instance's memory size now (box-writable: clamped) */
    bento_sl_snapshot_t *snapshot;
    bento_sl_route_stats_t *stats;
} bento_sl_route_t;

typedef struct {
    uint8_t policy; /* 0 EDF, 1 FIFO */
    uint16_t utilisation_milli;
    uint16_t queue_slots;
    uint16_t slot_bytes; /* the largest request body a slot holds */
    uint32_t counter_hz;
} bento_sl_config_t;

/* One request, from its first byte until its answer is queued for sending. */
typedef struct {
    volatile uint8_t state;
    const bento_sl_route_t *route;
    uint32_t id;
    uint32_t arrival;  /* counter ticks at the frame's last byte */
    uint32_t deadline; /* absolute, in counter ticks */
    uint32_t load;     /* expected execution / relative deadline, in 1/65536 */
    uint32_t seq;      /* arrival order, for FIFO */
    const uint8_t *payload;
    uint16_t length;
    uint8_t *body; /* slot_bytes of bento_sl_slot_memory */
} bento_sl_slot_t;

/* Generated (build/<board>/glue/serverless.c). */
extern const bento_sl_route_t bento_sl_routes[];
extern const uint32_t bento_sl_route_count;
extern const bento_sl_config_t bento_sl_config;
/* The request UART's NVIC lines, enabled once the functions have started. */
extern const uint32_t bento_sl_uart_lines[];
extern const uint32_t bento_sl_uart_line_count;
/* queue_slots of each. */
extern bento_sl_slot_t bento_sl_slots[];
extern uint8_t bento_sl_slot_memory[];

/* Starts the functions (their start-up, and the snapshots of fresh ones), the request UART and its
 * interrupt, then serves requests for ever. The host's main calls it once its own set-up is done. */
void bento_serverless_run(void) __attribute__((noreturn));

/* A route's counters, for the host to read (NULL: no such route). */
const bento_sl_route_stats_t *bento_serverless_stats(const char *route);

#endif
