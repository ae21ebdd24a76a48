/*
 * A library workload inside a box (bento bench --libraries, the box variants): the whole
 * workload, block device included, runs in the box, and the host (box-host.c) calls it through
 * three exports. Built with -DWORKLOAD_LITTLEFS or -DWORKLOAD_CJSON, as a native or a Wasm box
 * named `lib` (so its header is bento_lib.h):
 *
 *   workload_setup()  -> err   what is not measured: the block device erased
 *   workload_run()    -> err   the workload, measured by the host around the call
 *   workload_result(mut u8[len] report, usize len) -> err   the report, as bytes
 *
 * The report's layout is the same in the box and the host (ILP32, doubles 8-byte aligned, in
 * wasm32 as in the Arm EABI), so the host prints it with the workload's own print function.
 */
#include <stdint.h>
#include <string.h>

#include "bento_lib.h"

#if defined(WORKLOAD_LITTLEFS)
#define LITTLEFS_WORKLOAD_NO_MAIN
#include "littlefs.c"

static const struct lfs_config *device;
static struct littlefs_report report;

int32_t workload_setup(void)
{
    device = ramdisk_open();
    return 0;
}

int32_t workload_run(void)
{
    littlefs_workload(device, &report.result);
    return 0;
}

int32_t workload_result(uint8_t *out, size_t len)
{
    ramdisk_stats(&report.disk);
    if (len != sizeof report) return -32;
    memcpy(out, &report, sizeof report);
    return 0;
}

#elif defined(WORKLOAD_CJSON)
#define CJSON_WORKLOAD_NO_MAIN
#include "cjson.c"

static struct cjson_report report;

int32_t workload_setup(void)
{
    return 0;
}

int32_t workload_run(void)
{
    cjson_workload(&report.result);
    return 0;
}

int32_t workload_result(uint8_t *out, size_t len)
{
    if (len != sizeof report) return -32;
    memcpy(out, &report, sizeof report);
    return 0;
}

#else
#error "define WORKLOAD_LITTLEFS or WORKLOAD_CJSON"
#endif
