/* Fresh instances. SLEdge gives each request a new sandbox, allocated and populated per request;
 * here a function's start-up (data segments, constructors, _initialize) runs once, and what it
 * left is kept: the box's RAM above its stack (the module's globals, tables and instance record,
 * memory size included) and the part of its linear memory that is not zero. Before each request
 * both are copied back and the rest of the memory is cleared, so nothing a request wrote, in any
 * global, its heap, its shadow stack or pages it grew, reaches the next. The native stack needs
 * nothing: compiled Wasm reads no slot of it that it did not write in the same call. */
#include <stdlib.h>

#include "bento/fast_mem.h"
#include "internal.h"

/* The end of the last non-zero 32-byte block of the memory. */
static uint32_t used_prefix(const uint8_t *memory, uint32_t size) {
    const uint32_t *words = (const uint32_t *)memory;
    uint32_t n = size / 4u;
    while (n > 0u && words[n - 1u] == 0u) {
        n--;
    }
    return ((n * 4u + 31u) & ~31u) > size ? size : ((n * 4u + 31u) & ~31u);
}

int sl_snapshot_take(const bento_sl_route_t *route) {
    bento_sl_snapshot_t *s = route->snapshot;
    uint32_t ram = (uint32_t)(route->ram_hi - route->ram_lo);
    uint32_t used = used_prefix(route->memory, route->memory_size);
    s->ram = malloc(ram ? ram : 1u);
    s->memory = malloc(used ? used : 1u);
    if (!s->ram || !s->memory) {
        free(s->ram);
        free(s->memory);
        s->ram = s->memory = 0;
        return -1;
    }
    bento_memcpy(s->ram, route->ram_lo, ram);
    bento_memcpy(s->memory, route->memory, used);
    s->memory_used = used;
    s->taken = 1;
    s->dirty = 0;
    return 0;
}

/* A request wrote nothing at or past its memory's size (every access is checked against it), so
 * the memory is cleared up to the size it ended with: read before the RAM copy puts back the size
 * start-up left, and clamped to the region, since the box could have written anything there. */
void sl_snapshot_restore(const bento_sl_route_t *route) {
    bento_sl_snapshot_t *s = route->snapshot;
    uint32_t end = *route->live_size;
    end = end > route->memory_size ? route->memory_size : end;
    bento_memcpy(route->ram_lo, s->ram, (uint32_t)(route->ram_hi - route->ram_lo));
    bento_memcpy(route->memory, s->memory, s->memory_used);
    if (end > s->memory_used) {
        bento_memset(route->memory + s->memory_used, 0, end - s->memory_used);
    }
    s->dirty = 0;
}
