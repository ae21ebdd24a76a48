/* sampling: the host works while a timer makes the sensor box take 64 samples at 2 kHz. */
#include <stdint.h>
#include <stdio.h>

#include "bento/irq.h"
#include "bento_host.h"
#include "bento_irqs.h"
#include "timer.h"

/* The host's own work meanwhile: a CRC-32 over a buffer, round after round. */
static uint32_t crc32(const uint8_t *p, uint32_t n, uint32_t crc) {
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++) {
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
    }
    return ~crc;
}

int main(void) {
    printf("sampling: host on %s, sensor box sampling at 2 kHz on TIMER0 (line %u)\n", BENTO_BOARD_NAME, BENTO_IRQ_TIMER0);
    static uint8_t buffer[256];
    for (uint32_t i = 0; i < sizeof buffer; i++) {
        buffer[i] = (uint8_t)i;
    }
    timer_start(2000u);
    uint32_t crc = 0, rounds = 0;
    while (sensor_count() < 64u) {
        crc = crc32(buffer, sizeof buffer, crc);
        rounds++;
    }
    timer_stop();
    printf("host: %s work done while the box sampled\n", rounds > 0u ? "its own" : "no");

    int32_t stats[3];
    int32_t err = sensor_stats(stats);
    if (err < 0) {
        printf("sensor_stats: %s\n", bento_box_error_name(err));
        return 1;
    }
    printf("sensor: %lu samples, mean %ld, min %ld, max %ld\n", (unsigned long)sensor_count(), (long)stats[0], (long)stats[1], (long)stats[2]);
    const bento_irq_box_stats_t *s = bento_irq_box_stats_of(BENTO_IRQ_TIMER0);
    printf("TIMER0: every interrupt handled by the box: %s, none failed: %s\n", s->handled == s->raised ? "yes" : "no", s->failed == 0u ? "yes" : "no");
    return 0;
}
