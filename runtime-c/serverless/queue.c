/* Request slots, admission control and the order requests run in.
 *
 * Admission is SLEdge's: a request's load is its route's expected execution over its relative
 * deadline; it is admitted while the load of the admitted requests (queued or running) plus its
 * own stays within the bound (`utilisation`), so a request that cannot meet its deadline, or
 * would make others miss theirs, is refused at once rather than queued to fail late.
 *
 * The queue is the slots themselves: at most 64, so a scan finds the next request in fewer
 * instructions than a heap would spend keeping itself, and it can skip a request whose box is
 * busy (on the call chain below, preempted) for the next one. Slots change state only with
 * interrupts held: the UART's handler fills them, Thread mode runs and frees them. */
#include "bento/primask.h"
#include "internal.h"

#define NOTICES 32u

static uint32_t admitted;
static uint32_t next_seq;
static sl_notice_t notices[NOTICES];
static volatile uint32_t notice_head, notice_tail;
volatile uint32_t sl_bad_frames, sl_queue_full;

sl_slot_t *sl_slot_take(void) {
    for (uint32_t i = 0; i < bento_sl_config.queue_slots; i++) {
        sl_slot_t *s = &bento_sl_slots[i];
        if (s->state == SL_FREE) {
            s->state = SL_RECEIVING;
            s->body = bento_sl_slot_memory + i * bento_sl_config.slot_bytes;
            return s;
        }
    }
    return 0;
}

void sl_slot_release(sl_slot_t *slot) {
    slot->state = SL_FREE;
}

/* A notice queue that is full drops nothing silently: the frame is counted as bad, and the
 * client's own timeout answers it (32 notices pile up only when the UART sends slower than
 * refusals arrive). */
void sl_notice(uint32_t id, uint8_t type, uint8_t status, int32_t code, uint32_t now) {
    uint32_t held = bento_hold_interrupts();
    uint32_t head = notice_head;
    if (head - notice_tail < NOTICES) {
        notices[head % NOTICES] = (sl_notice_t){id, type, status, code, now};
        notice_head = head + 1u;
    } else {
        sl_bad_frames++;
    }
    bento_release_interrupts(held);
    sl_wake();
}

int sl_notice_take(sl_notice_t *out) {
    uint32_t held = bento_hold_interrupts();
    int got = notice_tail != notice_head;
    if (got) {
        *out = notices[notice_tail % NOTICES];
        notice_tail++;
    }
    bento_release_interrupts(held);
    return got;
}

int sl_notices_waiting(void) {
    return notice_tail != notice_head;
}

static uint32_t load_of(const bento_sl_route_t *route, uint32_t deadline_ticks) {
    uint64_t load = ((uint64_t)route->expected_ticks << 16) / (deadline_ticks ? deadline_ticks : 1u);
    return load > 0xffffffffu ? 0xffffffffu : (uint32_t)load;
}

void sl_request_arrived(sl_slot_t *slot, uint32_t now) {
    uint32_t relative = slot->deadline; /* the decoder leaves the relative deadline here */
    uint32_t load = load_of(slot->route, relative);
    uint32_t bound = (uint32_t)(((uint64_t)bento_sl_config.utilisation_milli << 16) / 1000u);
    if (load > bound || admitted + load > bound) {
        uint32_t id = slot->id;
        slot->route->stats->rejected++;
        sl_slot_release(slot);
        sl_notice(id, SL_TYPE_REQUEST, BENTO_SL_REJECTED, 0, now);
        return;
    }
    admitted += load;
    slot->load = load;
    slot->arrival = now;
    slot->deadline = now + relative;
    slot->seq = next_seq++;
    slot->state = SL_QUEUED;
    sl_wake();
}

void sl_finished(sl_slot_t *slot) {
    uint32_t held = bento_hold_interrupts();
    admitted -= slot->load;
    sl_slot_release(slot);
    bento_release_interrupts(held);
}

/* Does `a` go before `b`? EDF: the earlier absolute deadline (wrap-safe), then arrival. */
static int before(const sl_slot_t *a, const sl_slot_t *b) {
    if (bento_sl_config.policy == 0) {
        int32_t d = (int32_t)(a->deadline - b->deadline);
        if (d != 0) {
            return d < 0;
        }
    }
    return (int32_t)(a->seq - b->seq) < 0;
}

sl_slot_t *sl_pick(const sl_slot_t *preempted) {
    if (preempted && bento_sl_config.policy != 0u) {
        return 0; /* FIFO preempts nothing */
    }
    uint32_t held = bento_hold_interrupts();
    sl_slot_t *best = 0;
    for (uint32_t i = 0; i < bento_sl_config.queue_slots; i++) {
        sl_slot_t *s = &bento_sl_slots[i];
        if (s->state != SL_QUEUED || s->route->box->state == BENTO_BOX_RUNNING) {
            continue;
        }
        if (preempted && (int32_t)(s->deadline - preempted->deadline) >= 0) {
            continue;
        }
        if (!best || before(s, best)) {
            best = s;
        }
    }
    if (best) {
        best->state = SL_RUNNING;
    }
    bento_release_interrupts(held);
    return best;
}
