/* A QEMU TCG plugin that counts how often each translation block runs, for `bento run --profile`:
 * at exit it writes one line per block, "<start address> <instructions> <executions>" (hex, dec,
 * dec), and bento folds them into instructions per function. An inline add per block, so a run
 * slows by a few percent, and the counts stay exact under -icount.
 *
 * Written against the plugin ABI of QEMU 7.2 (version 1), declared here so that building it needs
 * no QEMU headers: only a C compiler for the machine running QEMU. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t plugin_id_t;
struct qemu_plugin_tb;
typedef void (*tb_trans_cb_t)(plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*atexit_cb_t)(plugin_id_t id, void *userdata);
enum { INLINE_ADD_U64 = 0 };

void qemu_plugin_register_vcpu_tb_trans_cb(plugin_id_t id, tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, int op, void *ptr, uint64_t imm);
void qemu_plugin_register_atexit_cb(plugin_id_t id, atexit_cb_t cb, void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

/* One record per (address, length): a block translated again after a flush finds its record. */
typedef struct block {
    uint64_t pc;
    uint64_t insns;
    uint64_t executions;
    struct block *next;
} block_t;

#define BUCKETS 65536u
static block_t *buckets[BUCKETS];
static char *out_path;

static block_t *record(uint64_t pc, uint64_t insns) {
    block_t **slot = &buckets[(pc >> 1) % BUCKETS];
    for (block_t *b = *slot; b; b = b->next) {
        if (b->pc == pc && b->insns == insns) return b;
    }
    block_t *b = calloc(1, sizeof *b);
    if (!b) abort();
    b->pc = pc;
    b->insns = insns;
    b->next = *slot;
    *slot = b;
    return b;
}

static void on_translate(plugin_id_t id, struct qemu_plugin_tb *tb) {
    (void)id;
    block_t *b = record(qemu_plugin_tb_vaddr(tb), qemu_plugin_tb_n_insns(tb));
    qemu_plugin_register_vcpu_tb_exec_inline(tb, INLINE_ADD_U64, &b->executions, 1);
}

static void write_counts(plugin_id_t id, void *userdata) {
    (void)id;
    (void)userdata;
    FILE *f = fopen(out_path, "w");
    if (!f) return;
    for (unsigned i = 0; i < BUCKETS; i++) {
        for (block_t *b = buckets[i]; b; b = b->next) {
            if (b->executions) fprintf(f, "%llx %llu %llu\n", (unsigned long long)b->pc, (unsigned long long)b->insns, (unsigned long long)b->executions);
        }
    }
    fclose(f);
}

__attribute__((visibility("default"))) int qemu_plugin_install(plugin_id_t id, const void *info, int argc, char **argv) {
    (void)info;
    for (int i = 0; i < argc; i++) {
        if (strncmp(argv[i], "out=", 4) == 0) out_path = argv[i] + 4;
    }
    if (!out_path) {
        fprintf(stderr, "tb_count: give the output file as out=FILE\n");
        return -1;
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, write_counts, NULL);
    return 0;
}
