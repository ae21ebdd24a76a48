/* Documents on a littlefs volume, parsed by cJSON in a box of its own. A hostile document
 * crashes the parser; the host and the filesystem carry on, and the parser restarts. */
#include <stdio.h>
#include <string.h>

#include "bento_host.h"
#include "lfs.h"

#define BLOCK_SIZE 512u
#define BLOCK_COUNT 24u
#define NESTING 800

static uint8_t storage[BLOCK_COUNT][BLOCK_SIZE];

int32_t device_read(uint32_t device, uint32_t block, uint32_t off, uint8_t *buffer, size_t size) {
    if (device != 0 || block >= BLOCK_COUNT || off > BLOCK_SIZE || size > BLOCK_SIZE - off) return LFS_ERR_IO;
    memcpy(buffer, &storage[block][off], size);
    return 0;
}

int32_t device_prog(uint32_t device, uint32_t block, uint32_t off, const uint8_t *buffer, size_t size) {
    if (device != 0 || block >= BLOCK_COUNT || off > BLOCK_SIZE || size > BLOCK_SIZE - off) return LFS_ERR_IO;
    memcpy(&storage[block][off], buffer, size);
    return 0;
}

int32_t device_erase(uint32_t device, uint32_t block) {
    if (device != 0 || block >= BLOCK_COUNT) return LFS_ERR_IO;
    memset(storage[block], 0xff, BLOCK_SIZE);
    return 0;
}

static const char *const kinds[] = {"?", "object", "array", "string", "number", "bool", "null"};

/* Numbers in hundredths: newlib-nano's printf has no %f. */
static long centi(double x) { return (long)(x * 100.0 + (x < 0 ? -0.5 : 0.5)); }

int32_t on_visit(uint32_t depth, uint32_t kind, const uint8_t *key, size_t n, double number) {
    printf("  %*s%.*s%s%s", (int)(2 * depth), "", (int)n, (const char *)key, n ? ": " : "- ", kind < 7 ? kinds[kind] : "?");
    if (kind == 4) printf(" %ld.%02ld", centi(number) / 100, labs(centi(number) % 100));
    printf("\n");
    return 0;
}

static char document[2 * NESTING + 16];

static int32_t store(const char *path, const char *text, size_t n) {
    file f = 0;
    int32_t err = volume_file_open((const uint8_t *)path, strlen(path), LFS_O_WRONLY | LFS_O_CREAT | LFS_O_TRUNC, &f);
    if (err < 0) return err;
    int32_t w = volume_file_write(f, (const uint8_t *)text, n);
    int32_t c = volume_file_close(f);
    return w < 0 ? w : c;
}

static int32_t load(const char *path, char *out, size_t cap) {
    file f = 0;
    int32_t err = volume_file_open((const uint8_t *)path, strlen(path), LFS_O_RDONLY, &f);
    if (err < 0) return err;
    int32_t n = volume_file_read(f, (uint8_t *)out, cap);
    volume_file_close(f);
    return n;
}

static uint32_t checksum(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

static const char config[] =
    "{\"device\":\"bento-7\",\"interval_ms\":250,\"sensors\":[{\"id\":1,\"kind\":\"temp\",\"scale\":0.5},"
    "{\"id\":2,\"kind\":\"humidity\",\"scale\":1.25}],\"upload\":{\"host\":\"10.0.0.2\",\"port\":1883,\"tls\":false}}";
static const char telemetry[] = "{\"samples\":[21.5,21.75,22.0,22.25,23.5],\"battery\":3.71,\"alarms\":[],\"ok\":true,\"note\":null}";

static void report(const char *path) {
    int32_t n = load(path, document, sizeof document);
    summary s;
    int32_t err = n < 0 ? n : parse((const uint8_t *)document, (size_t)n, &s);
    if (err < 0) {
        printf("%s: %ld bytes, parse failed: %ld (%s)\n", path, (long)n, (long)err, err > -32 ? bento_box_error_name(err) : "not JSON");
        return;
    }
    printf("%s: %ld bytes, %lu objects, %lu arrays, %lu strings, %lu numbers summing to %ld.%02ld, depth %lu\n", path, (long)n, (unsigned long)s.objects, (unsigned long)s.arrays,
           (unsigned long)s.strings, (unsigned long)s.numbers, centi(s.sum) / 100, labs(centi(s.sum) % 100), (unsigned long)s.depth);
}

int main(void) {
    static const geometry shape = { .read_size = 16, .prog_size = 16, .block_size = BLOCK_SIZE, .block_count = BLOCK_COUNT, .block_cycles = 500 };
    printf("mount %ld\n", (long)volume_mount(0, &shape, BENTO_CALLBACK(device_read), BENTO_CALLBACK(device_prog), BENTO_CALLBACK(device_erase), true));
    for (int i = 0; i < NESTING; i++) document[i] = '[';
    for (int i = 0; i < NESTING; i++) document[NESTING + i] = ']';
    const uint32_t sums[3] = { checksum(config, sizeof config - 1), checksum(telemetry, sizeof telemetry - 1), checksum(document, 2 * NESTING) };
    store("/config.json", config, sizeof config - 1);
    store("/telemetry.json", telemetry, sizeof telemetry - 1);
    store("/hostile.json", document, 2 * NESTING);
    store("/broken.json", "{\"a\": [1, 2", 11);

    report("/config.json");
    report("/telemetry.json");
    printf("walk /config.json, two levels:\n");
    int32_t n = load("/config.json", document, sizeof document);
    printf("walk %ld\n", (long)walk((const uint8_t *)document, (size_t)n, 2, BENTO_CALLBACK(on_visit)));
    report("/broken.json");
    report("/hostile.json");
    printf("parser: %s, %lu fault(s)\n", bento_box_state_name(bento_box_state(&bento_box_parser)), (unsigned long)bento_box_faults(&bento_box_parser));

    /* The filesystem is as it was written, and the parser works again. */
    const char *paths[3] = {"/config.json", "/telemetry.json", "/hostile.json"};
    int intact = 1;
    for (int i = 0; i < 3; i++) {
        int32_t got = load(paths[i], document, sizeof document);
        intact &= got > 0 && checksum(document, (size_t)got) == sums[i];
    }
    printf("filesystem %s after the crash\n", intact ? "intact" : "DAMAGED");
    report("/telemetry.json");
    return 0;
}
