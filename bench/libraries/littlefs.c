/*
 * A littlefs workload: format and mount a RAM block device, write 8 files of about 1 KiB in
 * three directories, remount, read them back and check them, rename and remove some, list the
 * directories, unmount. It prints one line of counts and a checksum over everything it read,
 * the directory listings and the block device's final bytes, so every target that runs it
 * (bento native, WASI under bento run-wasm, gcc on Linux) must print the same line.
 *
 * Built with the vendored, unmodified littlefs (third-party/littlefs) and the defines a native
 * box needs too (no malloc, no stdio, no assert in the library):
 *   -DLFS_NO_MALLOC -DLFS_NO_DEBUG -DLFS_NO_WARN -DLFS_NO_ERROR -DLFS_NO_ASSERT
 * so every buffer littlefs uses is given to it here (the config's caches, each file's cache).
 *
 * The block device is the functions ramdisk_*, over one static array (ramdisk_open erases it
 * and gives its config, ramdisk_stats says what it did); littlefs_workload takes any
 * lfs_config, so a box can run it on this device or on one the host owns. Define
 * LITTLEFS_WORKLOAD_NO_MAIN to take the rest without main (and without stdio).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lfs.h"
#include "count.h"
#include "littlefs.h"

#define BLOCK_SIZE 512
#define BLOCK_COUNT 64
#define CACHE_SIZE 64
#define LOOKAHEAD_SIZE 16
#define FILES 8

/* The block device's geometry, whoever owns the device (the box variants keep it in the host). */
#define RAMDISK_GEOMETRY                                                                           \
    .read_size = 16, .prog_size = 16, .block_size = BLOCK_SIZE, .block_count = BLOCK_COUNT, .block_cycles = 500, \
    .cache_size = CACHE_SIZE, .lookahead_size = LOOKAHEAD_SIZE

/* ---- the RAM block device --------------------------------------------------------------- */
/* LITTLEFS_NO_RAMDISK leaves it out: the box variants whose block device is the host's. */
#ifndef LITTLEFS_NO_RAMDISK

struct ramdisk {
    uint8_t bytes[BLOCK_COUNT][BLOCK_SIZE];
    uint32_t reads, progs, erases;
};

static struct ramdisk disk;

static int ramdisk_read(const struct lfs_config *c, lfs_block_t block, lfs_off_t off, void *buffer, lfs_size_t size)
{
    struct ramdisk *d = c->context;
    if (block >= BLOCK_COUNT || off + size > BLOCK_SIZE) return LFS_ERR_IO;
    memcpy(buffer, &d->bytes[block][off], size);
    d->reads++;
    return 0;
}

static int ramdisk_prog(const struct lfs_config *c, lfs_block_t block, lfs_off_t off, const void *buffer, lfs_size_t size)
{
    struct ramdisk *d = c->context;
    if (block >= BLOCK_COUNT || off + size > BLOCK_SIZE) return LFS_ERR_IO;
    /* NOR flash: a program can only clear bits of an erased block. */
    const uint8_t *from = buffer;
    for (lfs_size_t i = 0; i < size; i++) d->bytes[block][off + i] &= from[i];
    d->progs++;
    return 0;
}

static int ramdisk_erase(const struct lfs_config *c, lfs_block_t block)
{
    struct ramdisk *d = c->context;
    if (block >= BLOCK_COUNT) return LFS_ERR_IO;
    memset(d->bytes[block], 0xff, BLOCK_SIZE);
    d->erases++;
    return 0;
}

static int ramdisk_sync(const struct lfs_config *c)
{
    (void)c;
    return 0;
}

#endif

static uint32_t fold(uint32_t h, uint32_t word)
{
    h = (h ^ word) * 0x9e3779b1u;
    return h ^ (h >> 16);
}

static uint32_t fold_bytes(uint32_t h, const void *data, size_t n)
{
    const uint8_t *p = data;
    for (size_t i = 0; i < n; i++) h = fold(h, p[i]);
    return h;
}

/* ---- the workload ----------------------------------------------------------------------- */
/* LITTLEFS_RAMDISK_ONLY leaves it out: the host of the box variants whose block device is the
 * host's (box-host.c) takes only the RAM block device from here. */
#ifndef LITTLEFS_RAMDISK_ONLY

static const char *const directories[] = {"/logs", "/config", "/data"};

/* "<directory>/file<i>.bin", built by hand: a native box has no snprintf. */
static void file_name(unsigned i, char *name)
{
    const char *dir = directories[i % 3];
    size_t n = strlen(dir);
    memcpy(name, dir, n);
    memcpy(name + n, "/file", 5);
    name[n + 5] = (char)('0' + i);
    memcpy(name + n + 6, ".bin", 5);
}

/* Sizes 700..1400 bytes, not multiples of anything. */
static uint32_t file_size(unsigned i)
{
    return 700 + (i * 389u) % 701u;
}

static uint8_t file_byte(unsigned i, uint32_t offset)
{
    uint32_t x = (i + 1) * 2654435761u + offset * 40503u;
    x ^= x >> 13;
    return (uint8_t)(x * 0x5bd1e995u >> 24);
}

static uint8_t file_cache[CACHE_SIZE];

static int write_file(lfs_t *lfs, unsigned i, uint32_t *sum)
{
    char name[32];
    file_name(i, name);
    const struct lfs_file_config fcfg = {.buffer = file_cache};
    lfs_file_t file;
    int err = lfs_file_opencfg(lfs, &file, name, LFS_O_WRONLY | LFS_O_CREAT | LFS_O_TRUNC, &fcfg);
    if (err) return err;
    uint8_t chunk[97];
    const uint32_t size = file_size(i);
    uint32_t h = 0x811c9dc5u;
    for (uint32_t off = 0; off < size;) {
        uint32_t n = size - off < sizeof chunk ? size - off : (uint32_t)sizeof chunk;
        for (uint32_t k = 0; k < n; k++) chunk[k] = file_byte(i, off + k);
        h = fold_bytes(h, chunk, n);
        lfs_ssize_t wrote = lfs_file_write(lfs, &file, chunk, n);
        if (wrote < 0) {
            lfs_file_close(lfs, &file);
            return (int)wrote;
        }
        off += n;
    }
    *sum = h;
    return lfs_file_close(lfs, &file);
}

static int read_file(lfs_t *lfs, const char *name, uint32_t *sum, uint32_t *length)
{
    const struct lfs_file_config fcfg = {.buffer = file_cache};
    lfs_file_t file;
    int err = lfs_file_opencfg(lfs, &file, name, LFS_O_RDONLY, &fcfg);
    if (err) return err;
    uint8_t chunk[128];
    uint32_t h = 0x811c9dc5u, total = 0;
    for (;;) {
        lfs_ssize_t got = lfs_file_read(lfs, &file, chunk, sizeof chunk);
        if (got < 0) {
            lfs_file_close(lfs, &file);
            return (int)got;
        }
        if (got == 0) break;
        h = fold_bytes(h, chunk, (size_t)got);
        total += (uint32_t)got;
    }
    *sum = h;
    *length = total;
    return lfs_file_close(lfs, &file);
}

/* Lists a directory into the checksum: names, types and sizes, in littlefs's order. */
static int list_directory(lfs_t *lfs, const char *path, struct littlefs_result *r)
{
    lfs_dir_t dir;
    int err = lfs_dir_open(lfs, &dir, path);
    if (err) return err;
    struct lfs_info info;
    int more;
    while ((more = lfs_dir_read(lfs, &dir, &info)) > 0) {
        if (strcmp(info.name, ".") == 0 || strcmp(info.name, "..") == 0) continue;
        r->entries++;
        r->checksum = fold_bytes(r->checksum, info.name, strlen(info.name));
        r->checksum = fold(fold(r->checksum, info.type), info.size);
    }
    lfs_dir_close(lfs, &dir);
    return more < 0 ? more : 0;
}

#define CHECK(call)                \
    do {                           \
        int check_err_ = (call);   \
        if (check_err_ < 0) {      \
            r->error = check_err_; \
            return;                \
        }                          \
    } while (0)

void littlefs_workload(const struct lfs_config *cfg, struct littlefs_result *r)
{
    lfs_t lfs;
    uint32_t sums[FILES];
    memset(r, 0, sizeof *r);
    r->checksum = 0x12345678u;

    CHECK(lfs_format(&lfs, cfg));
    CHECK(lfs_mount(&lfs, cfg));
    for (unsigned d = 0; d < 3; d++) CHECK(lfs_mkdir(&lfs, directories[d]));
    for (unsigned i = 0; i < FILES; i++) {
        CHECK(write_file(&lfs, i, &sums[i]));
        r->files++;
        r->bytes += file_size(i);
    }
    /* Whatever survives an unmount is on the block device: read it back from a fresh mount. */
    CHECK(lfs_unmount(&lfs));
    CHECK(lfs_mount(&lfs, cfg));
    for (unsigned i = 0; i < FILES; i++) {
        char name[32];
        uint32_t sum = 0, length = 0;
        file_name(i, name);
        CHECK(read_file(&lfs, name, &sum, &length));
        if (sum != sums[i] || length != file_size(i)) r->mismatches++;
        r->checksum = fold(fold(r->checksum, sum), length);
    }
    /* Rename one file within its directory and one across, remove two, then check a renamed one. */
    CHECK(lfs_rename(&lfs, "/logs/file0.bin", "/logs/old0.bin"));
    CHECK(lfs_rename(&lfs, "/config/file1.bin", "/data/moved1.bin"));
    CHECK(lfs_remove(&lfs, "/data/file2.bin"));
    CHECK(lfs_remove(&lfs, "/logs/file3.bin"));
    {
        uint32_t sum = 0, length = 0;
        CHECK(read_file(&lfs, "/data/moved1.bin", &sum, &length));
        if (sum != sums[1] || length != file_size(1)) r->mismatches++;
    }
    CHECK(list_directory(&lfs, "/", r));
    for (unsigned d = 0; d < 3; d++) CHECK(list_directory(&lfs, directories[d], r));
    lfs_ssize_t used = lfs_fs_size(&lfs);
    CHECK((int)used);
    r->blocks_used = (int32_t)used;
    CHECK(lfs_unmount(&lfs));
}

#endif

/* ---- the RAM block device's config, and what it did ---------------------------------- */
#ifndef LITTLEFS_NO_RAMDISK

static uint8_t read_cache[CACHE_SIZE], prog_cache[CACHE_SIZE], lookahead[LOOKAHEAD_SIZE];

static const struct lfs_config ramdisk_config = {
    .context = &disk,
    .read = ramdisk_read,
    .prog = ramdisk_prog,
    .erase = ramdisk_erase,
    .sync = ramdisk_sync,
    RAMDISK_GEOMETRY,
    .read_buffer = read_cache,
    .prog_buffer = prog_cache,
    .lookahead_buffer = lookahead,
};

const struct lfs_config *ramdisk_open(void)
{
    memset(&disk, 0, sizeof disk);
    memset(disk.bytes, 0xff, sizeof disk.bytes);
    return &ramdisk_config;
}

void ramdisk_stats(struct ramdisk_stats *stats)
{
    stats->reads = disk.reads;
    stats->progs = disk.progs;
    stats->erases = disk.erases;
    stats->image = fold_bytes(0, disk.bytes, sizeof disk.bytes);
}

#endif

#ifndef LITTLEFS_WORKLOAD_NO_MAIN

int main(void)
{
    struct littlefs_report report;
    const struct lfs_config *cfg = ramdisk_open();
    count_begin();
    littlefs_workload(cfg, &report.result);
    count_end("littlefs");
    ramdisk_stats(&report.disk);
    return littlefs_report_print(&report);
}

#endif
