/*
 * linked-list: a singly linked list of 2,000 nodes of 28 bytes, each from malloc (about
 * 64 KiB, so a Wasm box's memory grows past its initial page). The list is built in random key
 * order, merge-sorted by relinking (bottom-up, runs doubling), the nodes whose key is a
 * multiple of 4 are unlinked and freed, 300 new nodes are inserted at their sorted places (a
 * walk from the head each, reusing freed memory), and the list is walked and freed.
 */
#include <stdlib.h>

#include "kernel.h"

/* Allocates in kernel_run: the harness gives the native heap and the Wasm box this many bytes. */
#define KERNEL_HEAP_BYTES 98304

#define NODES 2000
#define INSERTS 300
#define PAYLOAD 5

const char *const kernel_name = "linked-list";

struct node {
    struct node *next;
    uint32_t key;
    uint32_t payload[PAYLOAD];
};

static uint32_t keys[NODES + INSERTS];
static uint32_t length;
static uint32_t digest;
static uint32_t disorder;
static uint32_t failed;

void kernel_init(void)
{
    lcg_state = 0x6c697374u;
    for (int i = 0; i < NODES + INSERTS; i++)
        keys[i] = lcg_next() >> 12;
    length = 0;
    digest = 0;
    disorder = 0;
    failed = 0;
}

static struct node *new_node(uint32_t key)
{
    struct node *n = malloc(sizeof *n);
    if (n == NULL) {
        failed++;
        return NULL;
    }
    n->key = key;
    for (int k = 0; k < PAYLOAD; k++)
        n->payload[k] = key * (uint32_t)(2 * k + 1);
    return n;
}

/* Sorts by key, stably: merges neighbouring runs of 1, 2, 4, ... nodes until one is left. */
static struct node *sort(struct node *list)
{
    for (uint32_t width = 1;; width *= 2) {
        struct node *head = NULL;
        struct node **tail = &head;
        struct node *p = list;
        uint32_t merges = 0;
        while (p != NULL) {
            merges++;
            struct node *q = p;
            uint32_t p_len = 0;
            while (q != NULL && p_len < width) {
                q = q->next;
                p_len++;
            }
            uint32_t q_len = width;
            while (p_len > 0 || (q_len > 0 && q != NULL)) {
                struct node *e;
                if (p_len == 0 || (q_len > 0 && q != NULL && q->key < p->key)) {
                    e = q;
                    q = q->next;
                    q_len--;
                } else {
                    e = p;
                    p = p->next;
                    p_len--;
                }
                *tail = e;
                tail = &e->next;
            }
            p = q;
        }
        *tail = NULL;
        list = head;
        if (merges <= 1)
            return list;
    }
}

void kernel_run(void)
{
    struct node *list = NULL;
    for (int i = 0; i < NODES; i++) {
        struct node *n = new_node(keys[i]);
        if (n != NULL) {
            n->next = list;
            list = n;
        }
    }
    list = sort(list);
    for (struct node **at = &list; *at != NULL;) {
        struct node *n = *at;
        if (n->key % 4 == 0) {
            *at = n->next;
            free(n);
        } else {
            at = &n->next;
        }
    }
    for (int i = NODES; i < NODES + INSERTS; i++) {
        struct node *n = new_node(keys[i]);
        if (n == NULL)
            continue;
        struct node **at = &list;
        while (*at != NULL && (*at)->key <= n->key)
            at = &(*at)->next;
        n->next = *at;
        *at = n;
    }
    uint32_t h = 0;
    uint32_t count = 0;
    uint32_t bad = 0;
    for (const struct node *n = list; n != NULL; n = n->next) {
        uint32_t sum = 0;
        for (int k = 0; k < PAYLOAD; k++)
            sum += n->payload[k];
        h = fold(h, n->key ^ sum);
        if (n->next != NULL && n->next->key < n->key)
            bad++;
        count++;
    }
    while (list != NULL) {
        struct node *next = list->next;
        free(list);
        list = next;
    }
    length = count;
    digest = h;
    disorder = bad;
}

/* The length, the walk's digest, the neighbours out of order (0), the allocations that failed (0). */
uint32_t kernel_checksum(void)
{
    return fold(fold(fold(fold(0, length), digest), disorder), failed);
}
