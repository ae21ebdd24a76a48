/* Three littlefs volumes, one box instance each, on three RAM block devices the host owns. The
 * boxes reach a device only through device_read/prog/erase, which check every access; a volume
 * sees its own device and memory, never another's. */
#include <stdio.h>
#include <string.h>

#include "bento_host.h"
#include "lfs.h"

#define DEVICES BENTO_VOLUME_INSTANCES
#define BLOCK_SIZE 512u
#define BLOCK_COUNT 32u

static uint8_t storage[DEVICES][BLOCK_COUNT][BLOCK_SIZE];
static uint32_t reads, progs, erases;

/* The block device: bounds-checked, as any memory a box asks the host to touch should be. */
static int in_device(uint32_t device, uint32_t block, uint32_t off, size_t size) {
    return device < DEVICES && block < BLOCK_COUNT && off <= BLOCK_SIZE && size <= BLOCK_SIZE - off;
}

int32_t device_read(uint32_t device, uint32_t block, uint32_t off, uint8_t *buffer, size_t size) {
    if (!in_device(device, block, off, size)) return LFS_ERR_IO;
    reads++;
    memcpy(buffer, &storage[device][block][off], size);
    return 0;
}

int32_t device_prog(uint32_t device, uint32_t block, uint32_t off, const uint8_t *buffer, size_t size) {
    if (!in_device(device, block, off, size)) return LFS_ERR_IO;
    progs++;
    memcpy(&storage[device][block][off], buffer, size);
    return 0;
}

int32_t device_erase(uint32_t device, uint32_t block) {
    if (!in_device(device, block, 0, BLOCK_SIZE)) return LFS_ERR_IO;
    erases++;
    memset(storage[device][block], 0xff, BLOCK_SIZE);
    return 0;
}

static const geometry shape = { .read_size = 16, .prog_size = 16, .block_size = BLOCK_SIZE, .block_count = BLOCK_COUNT, .block_cycles = 500 };

static int32_t mount(uint32_t v, bool format) {
    return volume_mount(v, v, &shape, BENTO_CALLBACK(device_read), BENTO_CALLBACK(device_prog), BENTO_CALLBACK(device_erase), format);
}

static int32_t write_file(uint32_t v, const char *path, const char *text, uint32_t copies) {
    file f = 0;
    int32_t err = volume_file_open(v, (const uint8_t *)path, strlen(path), LFS_O_WRONLY | LFS_O_CREAT | LFS_O_TRUNC, &f);
    for (uint32_t i = 0; err >= 0 && i < copies; i++) err = volume_file_write(v, f, (const uint8_t *)text, strlen(text));
    int32_t closed = err >= 0 ? volume_file_close(v, f) : 0;
    return err < 0 ? err : closed;
}

/* Reads a file back whole; returns its length or the error. */
static int32_t read_file(uint32_t v, const char *path, char *out, size_t cap) {
    file f = 0;
    int32_t err = volume_file_open(v, (const uint8_t *)path, strlen(path), LFS_O_RDONLY, &f);
    if (err < 0) return err;
    int32_t n = volume_file_read(v, f, (uint8_t *)out, cap - 1);
    volume_file_close(v, f);
    if (n >= 0) out[n] = 0;
    return n;
}

static uint32_t checksum(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

int main(void) {
    static char text[2048];
    const char *names[DEVICES] = {"boot", "data", "log"};
    for (uint32_t v = 0; v < DEVICES; v++) {
        printf("volume %lu: format and mount %ld\n", (unsigned long)v, (long)mount(v, true));
        snprintf(text, sizeof text, "volume %s says hello\n", names[v]);
        printf("volume %lu: write /hello.txt %ld\n", (unsigned long)v, (long)write_file(v, "/hello.txt", text, 1));
    }
    volume_make_dir(2, (const uint8_t *)"/logs", 5);
    for (uint32_t i = 0; i < 5; i++) {
        char path[32], line[64];
        snprintf(path, sizeof path, "/logs/%lu.txt", (unsigned long)i);
        snprintf(line, sizeof line, "log line %lu of a long-running device\n", (unsigned long)i);
        if (write_file(2, path, line, 8 + i) < 0) printf("log %lu failed\n", (unsigned long)i);
    }

    /* Unmount, mount again without formatting: what was written is there. */
    for (uint32_t v = 0; v < DEVICES; v++) {
        volume_unmount(v);
        int32_t err = mount(v, false);
        int32_t n = read_file(v, "/hello.txt", text, sizeof text);
        printf("volume %lu: remount %ld, /hello.txt %ld bytes: %s", (unsigned long)v, (long)err, (long)n, n > 0 ? text : "\n");
    }
    for (uint32_t i = 0; i < 5; i++) {
        char path[32];
        entry e;
        snprintf(path, sizeof path, "/logs/%lu.txt", (unsigned long)i);
        int32_t n = read_file(2, path, text, sizeof text);
        int32_t s = volume_file_stat(2, (const uint8_t *)path, strlen(path), &e);
        printf("volume 2: %s %ld bytes, checksum %08lx, stat %ld: %s %lu bytes, %s\n", path, (long)n, (unsigned long)checksum(text, n > 0 ? (size_t)n : 0), (long)s,
               (const char *)e.name, (unsigned long)e.size, e.kind == LFS_TYPE_REG ? "file" : "dir");
    }
    for (uint32_t v = 0; v < DEVICES; v++) {
        usage u;
        volume_space(v, &u);
        printf("volume %lu: %lu of %lu blocks of %lu bytes used\n", (unsigned long)v, (unsigned long)u.used_blocks, (unsigned long)u.block_count, (unsigned long)u.block_size);
    }

    /* Each volume sees its own files only; handles are meaningful in their own box only. */
    entry e;
    printf("volume 0 has /logs: %ld (-1002 is LFS_ERR_NOENT)\n", (long)volume_file_stat(0, (const uint8_t *)"/logs", 5, &e));
    file f = 0;
    volume_file_open(1, (const uint8_t *)"/hello.txt", 10, LFS_O_RDONLY, &f);
    printf("a closed handle: %ld, a made-up one: %ld (-1009 is LFS_ERR_BADF)\n", (long)(volume_file_close(1, f), volume_file_read(1, f, (uint8_t *)text, 4)),
           (long)volume_file_read(1, (file)(uintptr_t)0x7777u, (uint8_t *)text, 4));
    printf("volume 3: %ld (%s)\n", (long)volume_space(3, &(usage){0}), bento_box_error_name(volume_space(3, &(usage){0})));

    /* A device the host corrupts: its volume refuses to mount; the others carry on. */
    volume_unmount(1);
    memset(storage[1][0], 0x5a, BLOCK_SIZE);
    memset(storage[1][1], 0xa5, BLOCK_SIZE);
    printf("volume 1: mount after corruption %ld (-1084 is LFS_ERR_CORRUPT)\n", (long)mount(1, false));
    int32_t n = read_file(0, "/hello.txt", text, sizeof text);
    printf("volume 0 still reads /hello.txt: %ld bytes: %s", (long)n, n > 0 ? text : "\n");
    printf("device: %lu reads, %lu progs, %lu erases; faults: %lu %lu %lu\n", (unsigned long)reads, (unsigned long)progs, (unsigned long)erases,
           (unsigned long)bento_box_faults(&bento_box_volume_0), (unsigned long)bento_box_faults(&bento_box_volume_1), (unsigned long)bento_box_faults(&bento_box_volume_2));
    return 0;
}
