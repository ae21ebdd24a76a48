/*
 * A hostile input for cJSON: arrays nested deeper and deeper, up to cJSON's own limit
 * (CJSON_NESTING_LIMIT, 1000) and one past it. cJSON parses, prints, compares and deletes
 * recursively, one call per level, so the stack a tree of depth 1000 needs is a thousand
 * frames of each: far more than a box's few KiB. A line is printed before each depth is
 * tried, so the last line says where the program stopped.
 *
 * gcc on Linux (8 MiB of stack) gets through every depth; under bento run-wasm with a small
 * --stack the guest traps ("trap: call stack exhausted", exit 134), natively on a small stack
 * the MPU guard below it stops the program. See README.md, "A hostile input".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"

static const int depths[] = {10, 100, 250, 500, 1000, 1001};

/* "[[[...[7]...]]]" with `depth` brackets each side. */
static char *nested(int depth)
{
    char *text = malloc((size_t)depth * 2 + 2);
    if (text == NULL) return NULL;
    memset(text, '[', (size_t)depth);
    text[depth] = '7';
    memset(text + depth + 1, ']', (size_t)depth);
    text[2 * depth + 1] = '\0';
    return text;
}

int main(void)
{
    for (unsigned i = 0; i < sizeof depths / sizeof depths[0]; i++) {
        const int depth = depths[i];
        char *text = nested(depth);
        if (text == NULL) return 2;
        printf("depth %d: parsing\n", depth);
        fflush(stdout);
        cJSON *tree = cJSON_Parse(text);
        if (tree == NULL) {
            printf("depth %d: rejected at offset %ld\n", depth, (long)(cJSON_GetErrorPtr() - text));
        } else {
            char *printed = cJSON_PrintUnformatted(tree);
            printf("depth %d: parsed, printed %s\n", depth, printed != NULL && strcmp(printed, text) == 0 ? "the same" : "differently");
            cJSON_free(printed);
            cJSON_Delete(tree);
        }
        free(text);
    }
    return 0;
}
