/* cJSON (third-party/cjson, unmodified) as a box: parse a document and summarise it, or walk it
 * and call the caller back for each value. Its errors are -100 and below, clear of bento's. */
#include <string.h>

#include "bento_box.h"
#include "cJSON.h"

#define PARSE_FAILED (-100)
#define NO_MEMORY (-101)

enum kind { KIND_OBJECT = 1, KIND_ARRAY, KIND_STRING, KIND_NUMBER, KIND_BOOL, KIND_NULL };

static enum kind kind_of(const cJSON *item) {
    if (cJSON_IsObject(item)) return KIND_OBJECT;
    if (cJSON_IsArray(item)) return KIND_ARRAY;
    if (cJSON_IsString(item)) return KIND_STRING;
    if (cJSON_IsNumber(item)) return KIND_NUMBER;
    if (cJSON_IsBool(item)) return KIND_BOOL;
    return KIND_NULL;
}

static void count(const cJSON *item, uint32_t depth, summary *s) {
    if (depth > s->depth) s->depth = depth;
    switch (kind_of(item)) {
    case KIND_OBJECT: s->objects++; break;
    case KIND_ARRAY: s->arrays++; break;
    case KIND_STRING: s->strings++; break;
    case KIND_NUMBER: s->numbers++; s->sum += item->valuedouble; break;
    default: break;
    }
    for (const cJSON *child = item->child; child; child = child->next) count(child, depth + 1, s);
}

int32_t parse(const uint8_t *text, size_t n, summary *out) {
    cJSON *root = cJSON_ParseWithLength((const char *)text, n);
    if (!root) return PARSE_FAILED;
    memset(out, 0, sizeof *out);
    count(root, 1, out);
    cJSON_Delete(root);
    return 0;
}

static int32_t visit_all(const cJSON *item, uint32_t depth, uint32_t max_depth, visit v) {
    for (const cJSON *child = item->child; child; child = child->next) {
        const char *key = child->string ? child->string : "";
        int32_t r = visit_call(v, depth, kind_of(child), (const uint8_t *)key, strlen(key), cJSON_IsNumber(child) ? child->valuedouble : 0.0);
        if (r < 0) return r;
        if (depth < max_depth && (r = visit_all(child, depth + 1, max_depth, v)) < 0) return r;
    }
    return 0;
}

int32_t walk(const uint8_t *text, size_t n, uint32_t max_depth, visit v) {
    cJSON *root = cJSON_ParseWithLength((const char *)text, n);
    if (!root) return PARSE_FAILED;
    int32_t r = visit_all(root, 1, max_depth, v);
    cJSON_Delete(root);
    return r;
}
