/* What the pieces of runtime-c/serverless/ share: request slots, the queue, the reply paths. */
#ifndef BENTO_SERVERLESS_INTERNAL_H
#define BENTO_SERVERLESS_INTERNAL_H

#include <stdint.h>

#include "bento/serverless.h"

#define SL_TYPE_REQUEST 0x01u
#define SL_TYPE_INFO 0x02u
#define SL_TYPE_STATS 0x03u
#define SL_REPLY 0x80u
/* type, version, id, deadline, route length: the request's fixed head. */
#define SL_REQUEST_HEAD 11u
#define SL_MAX_BODY 4096u
/* The longest relative deadline the 32-bit counter can order wrap-safe (src/plan/serverless.ts). */
#define SL_MAX_DEADLINE_TICKS 0x40000000u

enum sl_slot_state { SL_FREE = 0, SL_RECEIVING, SL_QUEUED, SL_RUNNING };

typedef bento_sl_slot_t sl_slot_t;

/* A frame answered without running anything (refused, malformed, INFO, STATS): queued by the
 * interrupt handler, sent by the dispatcher in Thread mode, the only writer of the UART. */
typedef struct {
    uint32_t id;
    uint8_t type;   /* SL_TYPE_* of what it answers */
    uint8_t status;
    int32_t code;
    uint32_t arrival;
} sl_notice_t;

extern volatile uint32_t sl_bad_frames, sl_queue_full;

/* crc32.c: zlib's CRC-32, a byte at a time (start with 0xFFFFFFFF, end with ~crc). */
uint32_t sl_crc32_byte(uint32_t crc, uint8_t byte);

/* queue.c, called with interrupts held or from the UART's handler. */
sl_slot_t *sl_slot_take(void);
void sl_slot_release(sl_slot_t *slot);
/* A complete, checked request: admits and queues it, or queues the notice that refuses it. */
void sl_request_arrived(sl_slot_t *slot, uint32_t now);
void sl_notice(uint32_t id, uint8_t type, uint8_t status, int32_t code, uint32_t now);
int sl_notice_take(sl_notice_t *out);
int sl_notices_waiting(void);
/* The queued request to run next whose box is free, or NULL; with `preempted`, only one that
 * goes before it (EDF: an earlier deadline). */
sl_slot_t *sl_pick(const sl_slot_t *preempted);
void sl_finished(sl_slot_t *slot);

/* rx.c: the decoder, fed from the UART's handler. */
void sl_rx_byte(uint8_t byte);

/* tx.c: the reply writer (Thread mode only) and the byte source of the UART's handler. */
void sl_tx_reply(uint32_t id, uint8_t status, int32_t code, uint32_t queued, uint32_t run, uint32_t latency, const uint8_t *payload, uint32_t length);
void sl_tx_info(uint32_t id);
void sl_tx_stats(uint32_t id);
int sl_tx_next(uint8_t *byte);

/* uart_<kind>.c: the request UART. */
void sl_uart_init(void);
/* Starts sending if the transmitter is idle (the handler sends the rest). */
void sl_uart_kick(void);

/* dispatch.c */
void sl_wake(void);
uint32_t sl_now(void);

/* snapshot.c */
int sl_snapshot_take(const bento_sl_route_t *route);
void sl_snapshot_restore(const bento_sl_route_t *route);

#endif
