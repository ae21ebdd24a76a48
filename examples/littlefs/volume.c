/* One littlefs volume, as a box: littlefs (third-party/littlefs, unmodified) on a block device
 * that the host owns and lends through three callbacks. Every instance of the box is a volume of
 * its own: this file's statics are per instance. littlefs's error codes (-2, -5, -84, ...) would
 * read as bento's own (-1 .. -31), so the box returns them as FS_ERROR(e) = e - 1000. */
#include <string.h>

#include "bento_box.h"
#include "lfs.h"

#define MAX_BLOCK 512
#define MAX_FILES 4
#define LOOKAHEAD 16

/* littlefs's result, its error codes moved below bento's. */
static inline int32_t FS_ERROR(int32_t e) {
    return e < 0 ? e - 1000 : e;
}

static lfs_t lfs;
static struct lfs_config config;
static int mounted;
static uint8_t read_buffer[MAX_BLOCK], prog_buffer[MAX_BLOCK], lookahead_buffer[LOOKAHEAD];

/* The device and its callbacks, as the host gave them at mount. */
static uint32_t device;
static blockread device_read;
static blockprog device_prog;
static blockerase device_erase;

/* Open files: littlefs's file, its cache (no malloc here), and whether the slot is taken. */
static struct open_file {
    lfs_file_t file;
    struct lfs_file_config config;
    uint8_t cache[MAX_BLOCK];
    int used;
} files[MAX_FILES];

static int bd_read(const struct lfs_config *c, lfs_block_t block, lfs_off_t off, void *buffer, lfs_size_t size) {
    (void)c;
    return blockread_call(device_read, device, block, off, buffer, size);
}

static int bd_prog(const struct lfs_config *c, lfs_block_t block, lfs_off_t off, const void *buffer, lfs_size_t size) {
    (void)c;
    return blockprog_call(device_prog, device, block, off, buffer, size);
}

static int bd_erase(const struct lfs_config *c, lfs_block_t block) {
    (void)c;
    return blockerase_call(device_erase, device, block);
}

static int bd_sync(const struct lfs_config *c) {
    (void)c;
    return 0; /* the host's device writes through */
}

int32_t mount(uint32_t dev, const geometry *g, blockread read, blockprog prog, blockerase erase, bool format) {
    if (mounted) {
        return FS_ERROR(LFS_ERR_EXIST);
    }
    if (g->block_size > MAX_BLOCK || g->read_size == 0 || g->prog_size == 0 || g->block_size % g->read_size || g->block_size % g->prog_size) {
        return FS_ERROR(LFS_ERR_INVAL);
    }
    device = dev;
    device_read = read;
    device_prog = prog;
    device_erase = erase;
    memset(&config, 0, sizeof config);
    config.read = bd_read;
    config.prog = bd_prog;
    config.erase = bd_erase;
    config.sync = bd_sync;
    config.read_size = g->read_size;
    config.prog_size = g->prog_size;
    config.block_size = g->block_size;
    config.block_count = g->block_count;
    config.block_cycles = g->block_cycles;
    config.cache_size = g->block_size;
    config.lookahead_size = LOOKAHEAD;
    config.read_buffer = read_buffer;
    config.prog_buffer = prog_buffer;
    config.lookahead_buffer = lookahead_buffer;
    config.name_max = 63;
    if (format) {
        int err = lfs_format(&lfs, &config);
        if (err) {
            return FS_ERROR(err);
        }
    }
    int err = lfs_mount(&lfs, &config);
    mounted = err == 0;
    return FS_ERROR(err);
}

int32_t unmount(void) {
    if (!mounted) {
        return FS_ERROR(LFS_ERR_INVAL);
    }
    for (int i = 0; i < MAX_FILES; i++) {
        if (files[i].used) {
            lfs_file_close(&lfs, &files[i].file);
            files[i].used = 0;
        }
    }
    mounted = 0;
    return FS_ERROR(lfs_unmount(&lfs));
}

/* Paths come as counted bytes: make them C strings littlefs can take. */
static int c_path(char out[64], const uint8_t *path, size_t n) {
    if (n == 0 || n > 63 || memchr(path, 0, n)) {
        return 0;
    }
    memcpy(out, path, n);
    out[n] = 0;
    return 1;
}

int32_t file_open(const uint8_t *path, size_t n, uint32_t flags, file *out) {
    char name[64];
    if (!mounted || !c_path(name, path, n)) {
        return FS_ERROR(LFS_ERR_INVAL);
    }
    for (int i = 0; i < MAX_FILES; i++) {
        struct open_file *f = &files[i];
        if (f->used) {
            continue;
        }
        memset(&f->config, 0, sizeof f->config);
        f->config.buffer = f->cache;
        int err = lfs_file_opencfg(&lfs, &f->file, name, (int)flags, &f->config);
        if (err) {
            return FS_ERROR(err);
        }
        f->used = 1;
        *out = file_new(f);
        return 0;
    }
    return FS_ERROR(LFS_ERR_NOMEM);
}

/* The open file a handle names, or NULL: a stale or made-up handle names nothing. */
static struct open_file *opened(file h) {
    struct open_file *f = file_get(h);
    return f && f->used ? f : NULL;
}

ssize_t file_write(file h, const uint8_t *data, size_t n) {
    struct open_file *f = opened(h);
    return f ? FS_ERROR(lfs_file_write(&lfs, &f->file, data, n)) : FS_ERROR(LFS_ERR_BADF);
}

ssize_t file_read(file h, uint8_t *data, size_t n) {
    struct open_file *f = opened(h);
    return f ? FS_ERROR(lfs_file_read(&lfs, &f->file, data, n)) : FS_ERROR(LFS_ERR_BADF);
}

int32_t file_close(file h) {
    struct open_file *f = opened(h);
    if (!f) {
        return FS_ERROR(LFS_ERR_BADF);
    }
    int err = lfs_file_close(&lfs, &f->file);
    f->used = 0;
    file_free(h);
    return FS_ERROR(err);
}

int32_t make_dir(const uint8_t *path, size_t n) {
    char name[64];
    if (!mounted || !c_path(name, path, n)) {
        return FS_ERROR(LFS_ERR_INVAL);
    }
    return FS_ERROR(lfs_mkdir(&lfs, name));
}

int32_t file_stat(const uint8_t *path, size_t n, entry *out) {
    char name[64];
    struct lfs_info info;
    if (!mounted || !c_path(name, path, n)) {
        return FS_ERROR(LFS_ERR_INVAL);
    }
    int err = lfs_stat(&lfs, name, &info);
    if (err) {
        return FS_ERROR(err);
    }
    out->kind = info.type;
    out->size = info.size;
    memset(out->name, 0, sizeof out->name);
    strncpy((char *)out->name, info.name, sizeof out->name - 1);
    return 0;
}

int32_t space(usage *out) {
    if (!mounted) {
        return FS_ERROR(LFS_ERR_INVAL);
    }
    lfs_ssize_t used = lfs_fs_size(&lfs);
    if (used < 0) {
        return FS_ERROR(used);
    }
    out->block_size = config.block_size;
    out->block_count = config.block_count;
    out->used_blocks = (uint32_t)used;
    return 0;
}
