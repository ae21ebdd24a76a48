/* What the littlefs workload (littlefs.c) reports, and its result line: shared by its main and
 * by the host of the box variants (box-host.c), which gets the report from the box as bytes. */
#ifndef BENTO_BENCH_LIBRARIES_LITTLEFS_H
#define BENTO_BENCH_LIBRARIES_LITTLEFS_H

#include <stdint.h>
#include <stdio.h>

struct lfs_config;

struct littlefs_result {
    int32_t error;        /* the first littlefs error (negative), or 0 */
    uint32_t files;       /* files written */
    uint32_t bytes;       /* bytes written (= bytes read back) */
    uint32_t mismatches;  /* files whose contents came back different */
    uint32_t entries;     /* directory entries listed at the end, "." and ".." aside */
    int32_t blocks_used;  /* lfs_fs_size at the end */
    uint32_t checksum;
};

struct ramdisk_stats {
    uint32_t reads, progs, erases;
    uint32_t image; /* a fold of every byte of the device */
};

struct littlefs_report {
    struct littlefs_result result;
    struct ramdisk_stats disk;
};

/* Runs the whole workload on the block device of `cfg`, which it formats first. */
void littlefs_workload(const struct lfs_config *cfg, struct littlefs_result *r);
/* The RAM block device, erased, and the config that runs littlefs on it. */
const struct lfs_config *ramdisk_open(void);
/* What the RAM block device did, and a fold of its bytes as littlefs left them. */
void ramdisk_stats(struct ramdisk_stats *stats);

/* The result line; 0 when the workload went well. */
__attribute__((unused)) static int littlefs_report_print(const struct littlefs_report *p)
{
    const struct littlefs_result *r = &p->result;
    printf("littlefs: files %lu, bytes %lu, mismatches %lu, entries %lu, blocks used %ld, "
           "reads %lu, progs %lu, erases %lu, error %ld, checksum %08lx, image %08lx\n",
           (unsigned long)r->files, (unsigned long)r->bytes, (unsigned long)r->mismatches, (unsigned long)r->entries,
           (long)r->blocks_used, (unsigned long)p->disk.reads, (unsigned long)p->disk.progs,
           (unsigned long)p->disk.erases, (long)r->error, (unsigned long)r->checksum, (unsigned long)p->disk.image);
    return r->error != 0 || r->mismatches != 0;
}

#endif
