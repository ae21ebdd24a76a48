/* What the cJSON workload (cjson.c) reports, and its result line: shared by its main and by the
 * host of the box variants (box-host.c), which gets the report from the box as bytes. */
#ifndef BENTO_BENCH_LIBRARIES_CJSON_H
#define BENTO_BENCH_LIBRARIES_CJSON_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#if defined(__arm__) && !defined(__linux__) && !defined(CJSON_WORKLOAD_NO_MAIN)
/* newlib-nano leaves %g out of printf and scanf unless these are linked (the -u flags of its
 * documentation): cJSON prints and reads back every non-integer number with them, and the
 * result line prints the sum with %f. Not in a box (CJSON_WORKLOAD_NO_MAIN): its host prints. */
extern int _printf_float();
extern int _scanf_float();
__attribute__((used)) static int (*const nano_float_formatting[])() = {_printf_float, _scanf_float};
#endif

struct cjson_result {
    uint32_t documents;  /* rounds that parsed */
    uint32_t bytes;      /* of the document */
    uint32_t objects, arrays, strings, numbers, trues, falses, nulls;
    uint32_t depth;      /* deepest nesting, the top object being 1 */
    uint32_t printed;    /* bytes of the last unformatted print */
    uint32_t equal;      /* rounds whose print parsed back to an equal tree */
    uint32_t failures;   /* parses or prints that failed */
    double sum;          /* of the numbers of the last round between -1e6 and 1e6 */
    uint32_t checksum;
};

struct cjson_report {
    struct cjson_result result;
};

/* ROUNDS rounds on the embedded document, with cJSON's current hooks. */
void cjson_workload(struct cjson_result *r);

/* The result line; 0 when the workload went well. */
__attribute__((unused)) static int cjson_report_print(const struct cjson_report *p)
{
    const struct cjson_result *r = &p->result;
    uint64_t sum_bits;
    memcpy(&sum_bits, &r->sum, sizeof sum_bits);
    printf("cjson: documents %lu, bytes %lu, objects %lu, arrays %lu, strings %lu, numbers %lu, "
           "true %lu, false %lu, null %lu, depth %lu, printed %lu, equal %lu, failures %lu, "
           "sum %.6f (%08lx%08lx), checksum %08lx\n",
           (unsigned long)r->documents, (unsigned long)r->bytes, (unsigned long)r->objects, (unsigned long)r->arrays,
           (unsigned long)r->strings, (unsigned long)r->numbers, (unsigned long)r->trues, (unsigned long)r->falses,
           (unsigned long)r->nulls, (unsigned long)r->depth, (unsigned long)r->printed, (unsigned long)r->equal,
           (unsigned long)r->failures, r->sum, (unsigned long)(sum_bits >> 32), (unsigned long)(sum_bits & 0xffffffffu),
           (unsigned long)r->checksum);
    return r->failures != 0 || r->equal != r->documents;
}

#endif
