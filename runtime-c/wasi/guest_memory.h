/* Guest memory access for the WASI layer: the one place its ranges are checked. Wasm memory is
 * little-endian and guest pointers need not be aligned, so values are taken apart into bytes
 * (whatever the host's byte order) and moved with memcpy, which clang turns into single
 * unaligned-capable accesses on ARMv7-M. */
#ifndef BENTO_WASI_GUEST_MEMORY_H
#define BENTO_WASI_GUEST_MEMORY_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "bento/wasi.h"
#include "bento/wasm.h"

/* The guest's live memory size: memory_size, but never more than memory_max (the reservation,
 * or for a box the host's own record of its linear memory region), since memory_size may come
 * from memory the guest can write (bento_wasi_view). */
static inline uint32_t guest_size(const bento_wasm_instance_t *inst) {
    return inst->memory_size < inst->memory_max ? inst->memory_size : inst->memory_max;
}

/* True when [offset, offset + len) lies inside the guest's live memory. Written so that no sum
 * can wrap around 32 bits: offset is checked first, then len against what is left above it. */
static inline bool guest_range_ok(const bento_wasm_instance_t *inst, uint32_t offset, uint32_t len) {
    const uint32_t size = guest_size(inst);
    return offset <= size && len <= size - offset;
}

/* Only after guest_range_ok(inst, offset, len) for the bytes about to be touched. */
static inline uint8_t *guest_ptr(const bento_wasm_instance_t *inst, uint32_t offset) {
    return inst->memory + offset;
}

static inline uint32_t guest_load_u32(const uint8_t *src) {
    uint8_t b[4];
    memcpy(b, src, sizeof b);
    return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
}

static inline void guest_store_u16(uint8_t *dst, uint16_t value) {
    const uint8_t b[2] = {(uint8_t)value, (uint8_t)(value >> 8)};
    memcpy(dst, b, sizeof b);
}

static inline void guest_store_u32(uint8_t *dst, uint32_t value) {
    const uint8_t b[4] = {(uint8_t)value, (uint8_t)(value >> 8), (uint8_t)(value >> 16), (uint8_t)(value >> 24)};
    memcpy(dst, b, sizeof b);
}

static inline void guest_store_u64(uint8_t *dst, uint64_t value) {
    guest_store_u32(dst, (uint32_t)value);
    guest_store_u32(dst + 4, (uint32_t)(value >> 32));
}

/* Checked stores of one value: BENTO_WASI_EFAULT when the range is outside the memory. */
static inline int32_t guest_put_u32(const bento_wasm_instance_t *inst, int32_t offset, uint32_t value) {
    if (!guest_range_ok(inst, (uint32_t)offset, 4)) {
        return BENTO_WASI_EFAULT;
    }
    guest_store_u32(guest_ptr(inst, (uint32_t)offset), value);
    return BENTO_WASI_ESUCCESS;
}

static inline int32_t guest_put_u64(const bento_wasm_instance_t *inst, int32_t offset, uint64_t value) {
    if (!guest_range_ok(inst, (uint32_t)offset, 8)) {
        return BENTO_WASI_EFAULT;
    }
    guest_store_u64(guest_ptr(inst, (uint32_t)offset), value);
    return BENTO_WASI_ESUCCESS;
}

#endif
