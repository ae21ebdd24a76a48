/*
 * A cJSON workload: parse a 2 KiB JSON document (a device's configuration and telemetry,
 * below), walk the tree (counts by type, the sum of its numbers, the deepest nesting), print
 * it back unformatted, parse that again and compare the two trees, edit it (add, replace and
 * delete items), print it again; ROUNDS times. It prints one line of counts and a checksum of
 * everything it printed, so every target that runs it (bento native, WASI under bento
 * run-wasm, gcc on Linux) must print the same line.
 *
 * Built with the vendored, unmodified cJSON (third-party/cjson), which allocates with malloc
 * and formats numbers with sprintf("%1.15g") and sscanf("%lg"): natively, newlib-nano's
 * float formatting must be linked (cjson.h's reference does it).
 *
 * main gives cJSON its allocator through cJSON_InitHooks (counting the heap's peak), as a box
 * would. Define CJSON_WORKLOAD_NO_MAIN to take cjson_workload without main.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cJSON.h"
#include "cjson.h"
#include "count.h"

#define ROUNDS 10

static const char document[] =
    "{\n"
    "  \"device\": {\"id\": \"bento-07\", \"model\": \"M4 sensor hub\", \"firmware\": \"2.11.2\",\n"
    "    \"serial\": 305419896, \"uptime_s\": 86400.5, \"location\": \"Caf\\u00e9 \\\"Nord\\\", shelf 3\"},\n"
    "  \"network\": {\"ssid\": \"lab\\tnet\", \"channel\": 11, \"rssi\": -67, \"ipv4\": [192, 168, 1, 42],\n"
    "    \"dns\": [\"1.1.1.1\", \"9.9.9.9\"], \"dhcp\": true, \"proxy\": null},\n"
    "  \"sensors\": [\n"
    "    {\"name\": \"temperature\", \"unit\": \"C\", \"enabled\": true, \"period_ms\": 500,\n"
    "     \"calibration\": {\"offset\": -0.25, \"scale\": 1.0125},\n"
    "     \"readings\": [21.5, 21.625, 21.75, 21.5, 21.375, 22.0, 22.125, 21.875]},\n"
    "    {\"name\": \"humidity\", \"unit\": \"%\", \"enabled\": true, \"period_ms\": 1000,\n"
    "     \"calibration\": {\"offset\": 1.5, \"scale\": 0.98},\n"
    "     \"readings\": [45.1, 45.3, 45.2, 46.0, 46.4, 46.1, 45.9, 45.8]},\n"
    "    {\"name\": \"pressure\", \"unit\": \"hPa\", \"enabled\": false, \"period_ms\": 2000,\n"
    "     \"calibration\": {\"offset\": 0, \"scale\": 1},\n"
    "     \"readings\": [1013.25, 1013.5, 1012.75, 1012.0, 1011.5, 1011.25, 1011.0, 1010.75]},\n"
    "    {\"name\": \"accel\", \"unit\": \"m/s\\u00b2\", \"enabled\": true, \"period_ms\": 10,\n"
    "     \"calibration\": {\"offset\": [0.01, -0.02, 0.03], \"scale\": [1, 1, 0.995]},\n"
    "     \"readings\": [[0.12, -0.03, 9.81], [0.11, -0.02, 9.79], [0.14, -0.05, 9.83], [0.1, 0, 9.8]]}\n"
    "  ],\n"
    "  \"limits\": {\"max_temp\": 85, \"min_temp\": -40, \"tiny\": 2.5e-3, \"huge\": 6.02214076E23,\n"
    "    \"negative_exponent\": -1.5e-7, \"count\": 1e3},\n"
    "  \"schedule\": [\n"
    "    {\"at\": \"06:00\", \"action\": \"wake\", \"args\": {\"led\": \"green\", \"level\": 3}},\n"
    "    {\"at\": \"12:30\", \"action\": \"report\", \"args\": {\"to\": \"https://example.org/api/v1/ingest?x=1&y=2\"}},\n"
    "    {\"at\": \"18:45\", \"action\": \"calibrate\", \"args\": {\"sensors\": [\"temperature\", \"humidity\"]}},\n"
    "    {\"at\": \"23:59\", \"action\": \"sleep\", \"args\": {}}\n"
    "  ],\n"
    "  \"log\": [\n"
    "    \"boot ok\", \"sensor accel: self-test passed\", \"wifi: connected\\r\\n\",\n"
    "    \"escape test: \\\\ \\/ \\b \\f \\n \\u0041\\u00df\\u6771\\ud83d\\ude00\",\n"
    "    \"budget: 10 ms\", \"restart 1 of 3\", \"\"\n"
    "  ],\n"
    "  \"matrix\": [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]],\n"
    "  \"flags\": [true, false, true, true, false, null, false, true],\n"
    "  \"nested\": {\"a\": {\"b\": {\"c\": {\"d\": {\"e\": {\"f\": [1, [2, [3, [4, [5]]]]]}}}}}},\n"
    "  \"empty\": {\"object\": {}, \"array\": [], \"string\": \"\"},\n"
    "  \"checksum\": 3735928559\n"
    "}\n";


static uint32_t fold(uint32_t h, uint32_t word)
{
    h = (h ^ word) * 0x9e3779b1u;
    return h ^ (h >> 16);
}

static uint32_t fold_bytes(uint32_t h, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) h = fold(h, (uint8_t)p[i]);
    return h;
}

/* Counts one tree into r (from scratch each round), keys and string values into the checksum. */
static void walk(const cJSON *item, uint32_t depth, struct cjson_result *r)
{
    for (; item != NULL; item = item->next) {
        if (item->string != NULL) r->checksum = fold_bytes(r->checksum, item->string, strlen(item->string));
        if (depth > r->depth) r->depth = depth;
        if (cJSON_IsObject(item)) {
            r->objects++;
            walk(item->child, depth + 1, r);
        } else if (cJSON_IsArray(item)) {
            r->arrays++;
            walk(item->child, depth + 1, r);
        } else if (cJSON_IsString(item)) {
            r->strings++;
            r->checksum = fold_bytes(r->checksum, item->valuestring, strlen(item->valuestring));
        } else if (cJSON_IsNumber(item)) {
            r->numbers++;
            uint64_t bits;
            memcpy(&bits, &item->valuedouble, sizeof bits);
            r->checksum = fold(fold(r->checksum, (uint32_t)bits), (uint32_t)(bits >> 32));
            if (item->valuedouble > -1e6 && item->valuedouble < 1e6) r->sum += item->valuedouble;
        } else if (cJSON_IsTrue(item)) {
            r->trues++;
        } else if (cJSON_IsFalse(item)) {
            r->falses++;
        } else if (cJSON_IsNull(item)) {
            r->nulls++;
        }
    }
}

/* Prints `tree` unformatted into the checksum; returns the length printed, 0 if printing failed. */
static size_t print_into(const cJSON *tree, struct cjson_result *r, cJSON **reparsed)
{
    char *text = cJSON_PrintUnformatted(tree);
    if (text == NULL) return 0;
    const size_t n = strlen(text);
    r->checksum = fold(fold_bytes(r->checksum, text, n), (uint32_t)n);
    if (reparsed != NULL) *reparsed = cJSON_ParseWithLength(text, n);
    cJSON_free(text);
    return n;
}

/* One round: parse, walk, print, parse the print, compare, edit, print again. */
static void round_of(struct cjson_result *r)
{
    cJSON *tree = cJSON_ParseWithLength(document, sizeof document - 1);
    if (tree == NULL) {
        r->failures++;
        return;
    }
    r->documents++;
    r->objects = r->arrays = r->strings = r->numbers = r->trues = r->falses = r->nulls = r->depth = 0;
    r->sum = 0;
    walk(tree, 1, r);

    cJSON *again = NULL;
    r->printed = (uint32_t)print_into(tree, r, &again);
    if (r->printed == 0 || again == NULL) r->failures++;
    if (again != NULL && cJSON_Compare(tree, again, 1)) r->equal++;
    cJSON_Delete(again);

    /* Edits: a sensor's reading appended, the firmware replaced, the log dropped, a flag added. */
    const cJSON *sensors = cJSON_GetObjectItemCaseSensitive(tree, "sensors");
    cJSON *first = cJSON_GetArrayItem(sensors, 0);
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(first, "readings"), cJSON_CreateNumber(21.0625));
    cJSON *device = cJSON_GetObjectItemCaseSensitive(tree, "device");
    cJSON_ReplaceItemInObjectCaseSensitive(device, "firmware", cJSON_CreateString("2.11.3-rc1"));
    cJSON_DeleteItemFromObjectCaseSensitive(tree, "log");
    cJSON_AddBoolToObject(tree, "edited", 1);
    if (print_into(tree, r, NULL) == 0) r->failures++;
    cJSON_Delete(tree);
}

void cjson_workload(struct cjson_result *r)
{
    memset(r, 0, sizeof *r);
    r->bytes = sizeof document - 1;
    r->checksum = 0x12345678u;
    for (unsigned i = 0; i < ROUNDS; i++) round_of(r);
}

#ifndef CJSON_WORKLOAD_NO_MAIN

#include <stdlib.h>

/* cJSON's allocations through hooks that count the bytes in use, for the heap's peak (a
 * header of 8 bytes before each block keeps its size, and blocks 8-byte aligned). With hooks
 * of its own cJSON grows a print with malloc, copy and free instead of realloc. */
static unsigned long heap_in_use;

static void *counting_malloc(size_t n)
{
    size_t *block = malloc(n + 8);
    if (block == NULL) return NULL;
    block[0] = n;
    heap_in_use += n;
    if (heap_in_use > count_heap_peak) count_heap_peak = heap_in_use;
    return (char *)block + 8;
}

static void counting_free(void *p)
{
    if (p == NULL) return;
    size_t *block = (size_t *)((char *)p - 8);
    heap_in_use -= block[0];
    free(block);
}

int main(void)
{
    struct cjson_report report;
    cJSON_Hooks hooks = {.malloc_fn = counting_malloc, .free_fn = counting_free};
    cJSON_InitHooks(&hooks);
    count_begin();
    cjson_workload(&report.result);
    count_end("cjson");
    return cjson_report_print(&report);
}

#endif
