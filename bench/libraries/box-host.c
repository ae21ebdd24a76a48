/*
 * The host of a library workload in a box (box.c): sets the box up, counts the instructions of
 * workload_run alone (count.h: the stack and heap it reports are the host's, not the box's),
 * then prints the box's report with the workload's own result line.
 */
#include <stdint.h>

#include "bento_host.h"
#include "count.h"

#if defined(WORKLOAD_LITTLEFS)
#include "littlefs.h"
#define WORKLOAD "littlefs"
typedef struct littlefs_report report_t;
#define report_print littlefs_report_print
#elif defined(WORKLOAD_CJSON)
#include "cjson.h"
#define WORKLOAD "cjson"
typedef struct cjson_report report_t;
#define report_print cjson_report_print
#else
#error "define WORKLOAD_LITTLEFS or WORKLOAD_CJSON"
#endif

#if defined(LITTLEFS_HOST_DISK)
/* The block device is the host's (littlefs.c's RAM disk, compiled here alone): the box calls it. */
#include "lfs.h"

static const struct lfs_config *disk;

int32_t disk_read(uint32_t block, uint32_t off, uint8_t *buffer, size_t size)
{
    return disk->read(disk, block, off, buffer, size);
}

int32_t disk_prog(uint32_t block, uint32_t off, const uint8_t *buffer, size_t size)
{
    return disk->prog(disk, block, off, buffer, size);
}

int32_t disk_erase(uint32_t block)
{
    return disk->erase(disk, block);
}
#endif

int main(void)
{
    report_t report;
#if defined(LITTLEFS_HOST_DISK)
    disk = ramdisk_open();
#endif
    int32_t err = workload_setup();
    if (err < 0) {
        printf("%s: the box's setup failed: %s (%ld)\n", WORKLOAD, bento_box_error_name(err), (long)err);
        return 1;
    }
    count_begin();
    err = workload_run();
    count_end(WORKLOAD);
    if (err >= 0) err = workload_result((uint8_t *)&report, sizeof report);
    if (err < 0) {
        printf("%s: the box failed: %s (%ld)\n", WORKLOAD, bento_box_error_name(err), (long)err);
        return 1;
    }
#if defined(LITTLEFS_HOST_DISK)
    ramdisk_stats(&report.disk);
#endif
    return report_print(&report);
}
