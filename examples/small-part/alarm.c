/* The alarm box: every reading it is given goes into a log on its heap, one malloc'd record each.
 * Its heap is 384 bytes, so the log fills up; malloc then returns NULL and the box says so. */
#include <stdint.h>
#include <stdlib.h>

#include "bento_alarm.h"

#define LOG_FULL (-1001)

struct record {
    struct record *next;
    int32_t milli;
    uint32_t number;
    uint8_t note[64];
};

static struct record *log_head;
static uint32_t count;

int32_t note(int32_t milli) {
    struct record *r = malloc(sizeof *r);
    if (r == NULL) {
        return LOG_FULL;
    }
    r->milli = milli;
    r->number = ++count;
    r->next = log_head;
    log_head = r;
    return (int32_t)count;
}
