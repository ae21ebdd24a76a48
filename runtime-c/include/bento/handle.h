/* Opaque handles: a party hands out a number for one of its objects instead of its address.
 * A handle is (generation << 8) | (slot + 1): a freed slot's old handles stop working, and a
 * number made up by another box names nothing (0 never does). The tables live in the memory of
 * the party that hands them out; the generated headers declare one per handle type. */
#ifndef BENTO_HANDLE_H
#define BENTO_HANDLE_H

#include <stddef.h>
#include <stdint.h>

typedef struct bento_handle_table {
    void **objects;
    uint32_t *generations;
    uint32_t capacity;
} bento_handle_table_t;

/* A new handle for `object` (not NULL), or 0 when every slot is taken. */
static inline uint32_t bento_handle_new(const bento_handle_table_t *t, void *object) {
    for (uint32_t i = 0; object != NULL && i < t->capacity; i++) {
        if (t->objects[i] == NULL) {
            t->objects[i] = object;
            uint32_t generation = (t->generations[i] + 1u) & 0x00ffffffu;
            t->generations[i] = generation == 0 ? 1u : generation;
            return (t->generations[i] << 8) | (i + 1u);
        }
    }
    return 0;
}

/* The object of a live handle, or NULL. */
static inline void *bento_handle_get(const bento_handle_table_t *t, uint32_t handle) {
    uint32_t slot = (handle & 0xffu) - 1u;
    if (slot >= t->capacity || t->generations[slot] != (handle >> 8)) {
        return NULL;
    }
    return t->objects[slot];
}

/* Ends a handle; its object is the caller's to free. Returns the object, or NULL if it was not live. */
static inline void *bento_handle_free(const bento_handle_table_t *t, uint32_t handle) {
    void *object = bento_handle_get(t, handle);
    if (object != NULL) {
        t->objects[(handle & 0xffu) - 1u] = NULL;
    }
    return object;
}

#endif
