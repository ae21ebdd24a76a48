/*
 * rb-tree: a left-leaning red-black tree whose nodes come from malloc. 2,600 keys (16-bit, so
 * some repeat and count up) are inserted, 8,000 keys looked up, the tree walked in order, and
 * every node freed. The nodes take about 62 KiB natively (24-byte chunks) and more in a Wasm
 * box (dlmalloc's 16-byte alignment), so a Wasm box's memory grows past its initial page.
 */
#include <stdlib.h>

#include "kernel.h"

/* Allocates in kernel_run: the harness gives the native heap and the Wasm box this many bytes. */
#define KERNEL_HEAP_BYTES 98304

#define ROUNDS 1
#define INSERTS 2600
#define LOOKUPS 8000

const char *const kernel_name = "rb-tree";

struct node {
    uint32_t key;
    uint32_t count;
    struct node *left;
    struct node *right;
    uint32_t red;
};

static uint16_t keys[ROUNDS][INSERTS];
static uint16_t probes[ROUNDS][LOOKUPS];
static uint32_t result[ROUNDS][5];
static uint32_t failed;

void kernel_init(void)
{
    lcg_state = 0x72627472u;
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < INSERTS; i++)
            keys[r][i] = (uint16_t)(lcg_next() >> 16);
        for (int i = 0; i < LOOKUPS; i++)
            probes[r][i] = (uint16_t)(lcg_next() >> 16);
    }
    failed = 0;
}

static int is_red(const struct node *n)
{
    return n != NULL && n->red;
}

static struct node *rotate_left(struct node *h)
{
    struct node *x = h->right;
    h->right = x->left;
    x->left = h;
    x->red = h->red;
    h->red = 1;
    return x;
}

static struct node *rotate_right(struct node *h)
{
    struct node *x = h->left;
    h->left = x->right;
    x->right = h;
    x->red = h->red;
    h->red = 1;
    return x;
}

static struct node *insert(struct node *h, uint32_t key)
{
    if (h == NULL) {
        struct node *n = malloc(sizeof *n);
        if (n == NULL) {
            failed++;
            return NULL;
        }
        n->key = key;
        n->count = 1;
        n->left = n->right = NULL;
        n->red = 1;
        return n;
    }
    if (key < h->key)
        h->left = insert(h->left, key);
    else if (key > h->key)
        h->right = insert(h->right, key);
    else
        h->count++;
    if (is_red(h->right) && !is_red(h->left))
        h = rotate_left(h);
    if (is_red(h->left) && is_red(h->left->left))
        h = rotate_right(h);
    if (is_red(h->left) && is_red(h->right)) {
        h->red = !h->red;
        h->left->red = !h->left->red;
        h->right->red = !h->right->red;
    }
    return h;
}

/* Folds the keys and counts in order; returns the height. */
static uint32_t walk(const struct node *n, uint32_t *h)
{
    if (n == NULL)
        return 0;
    uint32_t left = walk(n->left, h);
    *h = fold(*h, n->key << 16 | n->count);
    uint32_t right = walk(n->right, h);
    return 1 + (left > right ? left : right);
}

static void free_tree(struct node *n)
{
    while (n != NULL) {
        free_tree(n->left);
        struct node *right = n->right;
        free(n);
        n = right;
    }
}

void kernel_run(void)
{
    for (int r = 0; r < ROUNDS; r++) {
        struct node *root = NULL;
        for (int i = 0; i < INSERTS; i++) {
            root = insert(root, keys[r][i]);
            root->red = 0;
        }
        uint32_t found = 0;
        uint32_t steps = 0;
        for (int i = 0; i < LOOKUPS; i++) {
            const struct node *n = root;
            uint32_t key = probes[r][i];
            while (n != NULL && n->key != key) {
                n = key < n->key ? n->left : n->right;
                steps++;
            }
            if (n != NULL)
                found += n->count;
        }
        uint32_t h = 0;
        result[r][0] = walk(root, &h);
        result[r][1] = h;
        result[r][2] = found;
        result[r][3] = steps;
        result[r][4] = root->key;
        free_tree(root);
    }
}

/* The height, the in-order fold, the counts found, the search steps, the root's key, and the
 * allocations that failed (0). */
uint32_t kernel_checksum(void)
{
    uint32_t h = fold(0, failed);
    for (int r = 0; r < ROUNDS; r++)
        for (int k = 0; k < 5; k++)
            h = fold(h, result[r][k]);
    return h;
}
