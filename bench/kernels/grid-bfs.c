/*
 * grid-bfs: breadth-first search on an 80 x 80 grid maze (4-neighbour moves, about 28% of the
 * cells walls) from SOURCES open cells in turn, int only. Each search records how many cells
 * it reached, the sum of their distances and the largest distance; the distances of the last
 * search stay in dist.
 */
#include "kernel.h"

#define W 80
#define H 80
#define CELLS (W * H)
#define SOURCES 8
#define UNREACHED 0xffffu

const char *const kernel_name = "grid-bfs";

static uint8_t wall[CELLS];
static uint16_t dist[CELLS];
static uint16_t queue[CELLS];
static uint16_t source[SOURCES];
static uint32_t reached[SOURCES];
static uint32_t dist_sum[SOURCES];
static uint32_t farthest[SOURCES];

void kernel_init(void)
{
    lcg_state = 0x67726964u;
    for (int c = 0; c < CELLS; c++)
        wall[c] = (uint8_t)((lcg_next() >> 24) < 72);
    for (int s = 0; s < SOURCES; s++) {
        int c = (int)((lcg_next() >> 16) % CELLS);
        while (wall[c])
            c = (c + 1) % CELLS;
        source[s] = (uint16_t)c;
        reached[s] = 0;
        dist_sum[s] = 0;
        farthest[s] = 0;
    }
}

static void search(int s)
{
    for (int c = 0; c < CELLS; c++)
        dist[c] = UNREACHED;

    int head = 0;
    int tail = 0;
    uint32_t sum = 0;
    dist[source[s]] = 0;
    queue[tail++] = source[s];
    while (head < tail) {
        int c = queue[head++];
        int x = c % W;
        int y = c / W;
        uint16_t d = (uint16_t)(dist[c] + 1);
        int next[4];
        int count = 0;
        if (x > 0)
            next[count++] = c - 1;
        if (x < W - 1)
            next[count++] = c + 1;
        if (y > 0)
            next[count++] = c - W;
        if (y < H - 1)
            next[count++] = c + W;
        for (int i = 0; i < count; i++) {
            int n = next[i];
            if (!wall[n] && dist[n] == UNREACHED) {
                dist[n] = d;
                sum += d;
                queue[tail++] = (uint16_t)n;
            }
        }
    }
    reached[s] = (uint32_t)tail;
    dist_sum[s] = sum;
    farthest[s] = dist[queue[tail - 1]];
}

void kernel_run(void)
{
    for (int s = 0; s < SOURCES; s++)
        search(s);
}

uint32_t kernel_checksum(void)
{
    uint32_t h = 0x811c9dc5u;
    for (int s = 0; s < SOURCES; s++) {
        h = fold(h, reached[s]);
        h = fold(h, dist_sum[s]);
        h = fold(h, farthest[s]);
    }
    for (int c = 0; c < CELLS; c += 2)
        h = fold(h, (uint32_t)dist[c] | (uint32_t)dist[c + 1] << 16);
    return h;
}
