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

int main(void)
{
    report_t report;
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
    return report_print(&report);
}
