/* The dispatcher: starts the functions, then answers requests for ever, in Thread mode on the
 * main stack. A request with an earlier deadline than the one running (EDF) preempts it: the UART's
 * handler pends PendSV, which has the host thread run bento_preempt_run() on top of the running
 * function (runtime-c/irq/deferred.c); it serves every queued request that goes before the
 * interrupted one, then the interrupted function carries on. A function's box cannot be
 * re-entered, so a request for a function that is running (preempted, further down) waits. */
#include <stdio.h>

#include "bento/counter.h"
#include "bento/exit_codes.h"
#include "bento/irq.h"
#include "bento/primask.h"
#include "bento/scb.h"
#include "bento/semihost.h"
#include "internal.h"

#define ICSR_PENDSVSET (1u << 28)
#define MAX_DEPTH 16u

/* The requests running now, outermost first: each preempted by the next. */
static sl_slot_t *running[MAX_DEPTH];
static volatile uint32_t depth;

uint32_t sl_now(void) {
    return bento_counter_read();
}

/* From the UART's handler: a request or a notice came. While a function runs, PendSV decides
 * whether it is preempted (bento_preempt_wanted); otherwise the dispatcher's WFI ends. If the
 * function is in the boundary work of its call just then (host code, which PendSV leaves alone),
 * its box asks again as it starts (bento_preempt_waiting, runtime-c/box/direct.c). */
void sl_wake(void) {
    if (depth != 0u) {
        bento_preempt_waiting = 1u;
        SCB_ICSR = ICSR_PENDSVSET;
    }
}

static int before(const sl_slot_t *a, const sl_slot_t *b) {
    return (int32_t)(a->deadline - b->deadline) < 0;
}

/* Called in PendSV: is anything waiting that must not wait for the running function? */
int bento_preempt_wanted(bento_box_t *box) {
    uint32_t d = depth;
    if (d == 0u || running[d - 1u]->route->box != box) {
        return 0; /* a box the function called, or no function: its return comes first */
    }
    bento_preempt_waiting = 0u; /* decided here, in the function's own code */
    if (sl_notices_waiting()) {
        return 1;
    }
    if (bento_sl_config.policy != 0u) {
        return 0; /* FIFO runs each request to its end */
    }
    const sl_slot_t *now = running[d - 1u];
    for (uint32_t i = 0; i < bento_sl_config.queue_slots; i++) {
        const sl_slot_t *s = &bento_sl_slots[i];
        if (s->state == SL_QUEUED && s->route->box->state != BENTO_BOX_RUNNING && before(s, now)) {
            return 1;
        }
    }
    return 0;
}

static void send_notices(void) {
    sl_notice_t n;
    while (sl_notice_take(&n)) {
        if (n.status == BENTO_SL_OK && n.type == SL_TYPE_INFO) {
            sl_tx_info(n.id);
        } else if (n.status == BENTO_SL_OK && n.type == SL_TYPE_STATS) {
            sl_tx_stats(n.id);
        } else {
            sl_tx_reply(n.id, n.status, n.code, 0u, 0u, sl_now() - n.arrival, 0, 0u);
        }
    }
}

static uint32_t bucket_of(uint32_t ticks) {
    uint32_t log2 = ticks ? 31u - (uint32_t)__builtin_clz(ticks) : 0u;
    uint32_t b = log2 > BENTO_SL_BUCKET_SHIFT ? log2 - BENTO_SL_BUCKET_SHIFT : 0u;
    return b < BENTO_SL_BUCKETS ? b : BENTO_SL_BUCKETS - 1u;
}

/* A fresh function's instance back to its start-up state: after any request, and after a fault
 * (the box is then due for a restart, which the snapshot makes a copy). */
static void make_fresh(const bento_sl_route_t *r) {
    bento_box_t *box = r->box;
    if (!r->fresh || !r->snapshot->taken || box->state == BENTO_BOX_RUNNING || box->state == BENTO_BOX_DEAD) {
        return;
    }
    if (r->snapshot->dirty || box->state == BENTO_BOX_UNINIT) {
        uint32_t t0 = sl_now();
        sl_snapshot_restore(r);
        box->state = BENTO_BOX_READY;
        r->stats->restore_ticks += sl_now() - t0;
        r->stats->restores++;
    }
}

static void serve(sl_slot_t *slot) {
    const bento_sl_route_t *r = slot->route;
    bento_sl_route_stats_t *stats = r->stats;
    uint32_t start = sl_now();
    if ((int32_t)(start - slot->deadline) > 0) {
        stats->missed++;
        sl_tx_reply(slot->id, BENTO_SL_DEADLINE_MISSED, -1, start - slot->arrival, 0u, start - slot->arrival, 0, 0u);
        sl_finished(slot);
        return;
    }
    make_fresh(r);
    running[depth] = slot;
    depth = depth + 1u;
    int32_t code = r->call(slot->payload, slot->length, r->response, r->max_response);
    depth = depth - 1u;
    uint32_t end = sl_now();
    if (r->fresh) {
        r->snapshot->dirty = 1u;
    }
    uint32_t latency = end - slot->arrival;
    uint8_t status;
    uint32_t length = 0u;
    if (code >= 0 && (uint32_t)code > r->max_response) {
        code = BENTO_E_RANGE; /* it claims more than its buffer holds */
    }
    if (code >= 0) {
        length = (uint32_t)code;
        int late = (int32_t)(end - slot->deadline) > 0;
        status = late ? BENTO_SL_DEADLINE_MISSED : BENTO_SL_OK;
        if (late) {
            stats->missed++;
        } else {
            stats->served++;
        }
        stats->latency[bucket_of(latency)]++;
    } else if (code == BENTO_E_BUDGET) {
        status = BENTO_SL_BUDGET_EXCEEDED;
        stats->budget++;
    } else {
        status = BENTO_SL_FUNCTION_ERROR;
        stats->failed++;
    }
    sl_tx_reply(slot->id, status, code, start - slot->arrival, end - start, latency, r->response, length);
    sl_finished(slot);
}

/* On top of a preempted function: everything that goes before it. */
void bento_preempt_run(void) {
    send_notices();
    for (;;) {
        sl_slot_t *s = sl_pick(running[depth - 1u]);
        if (!s) {
            return;
        }
        serve(s);
        send_notices();
    }
}

static void start_functions(void) {
    for (uint32_t i = 0; i < bento_sl_route_count; i++) {
        const bento_sl_route_t *r = &bento_sl_routes[i];
        uint32_t t0 = sl_now();
        int32_t code = bento_box_prepare(r->box);
        uint32_t took = sl_now() - t0;
        if (code < 0) {
            printf("[bento] function %s: start-up failed (%ld); its requests get FUNCTION_ERROR until it starts\n", r->route, (long)code);
            continue;
        }
        if (r->fresh && sl_snapshot_take(r) < 0) {
            printf("[bento] function %s: no heap for its snapshot (%lu bytes of RAM, up to %lu of memory): give the host more heap\n", r->route,
                   (unsigned long)(r->ram_hi - r->ram_lo), (unsigned long)r->memory_size);
            fflush(stdout);
            bento_exit(BENTO_EXIT_BOX_PANIC);
        }
        if (r->fresh) {
            printf("[bento] function %s: start-up %lu ticks; fresh from a snapshot of %lu + %lu bytes\n", r->route, (unsigned long)took,
                   (unsigned long)(r->ram_hi - r->ram_lo), (unsigned long)r->snapshot->memory_used);
        } else {
            printf("[bento] function %s: start-up %lu ticks; warm\n", r->route, (unsigned long)took);
        }
    }
}

static void idle(void) {
    for (uint32_t i = 0; i < bento_sl_route_count; i++) {
        make_fresh(&bento_sl_routes[i]); /* off the next request's path */
    }
    uint32_t held = bento_hold_interrupts();
    /* Anything the UART's handler does wakes the WFI. No polling: under QEMU's -icount a spinning
     * core makes virtual time race ahead of the bytes the host sends. */
    int busy = sl_notices_waiting();
    for (uint32_t i = 0; !busy && i < bento_sl_config.queue_slots; i++) {
        busy = bento_sl_slots[i].state == SL_QUEUED;
    }
    if (!busy) {
        __asm__ volatile("wfi");
    }
    bento_release_interrupts(held);
}

void bento_serverless_run(void) {
    start_functions();
    sl_uart_init();
    for (uint32_t i = 0; i < bento_sl_uart_line_count; i++) {
        bento_irq_enable(bento_sl_uart_lines[i]);
    }
    printf("[bento] serverless: %lu function(s), %s, admission bound %u.%u, %u request slots\n", (unsigned long)bento_sl_route_count,
           bento_sl_config.policy == 0u ? "EDF" : "FIFO", bento_sl_config.utilisation_milli / 1000u, (bento_sl_config.utilisation_milli % 1000u) / 100u,
           bento_sl_config.queue_slots);
    fflush(stdout);
    for (;;) {
        send_notices();
        sl_slot_t *s = sl_pick(0);
        if (s) {
            serve(s);
        } else {
            idle();
        }
    }
}

const bento_sl_route_stats_t *bento_serverless_stats(const char *route) {
    for (uint32_t i = 0; i < bento_sl_route_count; i++) {
        const char *a = bento_sl_routes[i].route;
        const char *b = route;
        while (*a && *a == *b) {
            a++;
            b++;
        }
        if (*a == *b) {
            return bento_sl_routes[i].stats;
        }
    }
    return 0;
}
