/*
 * floyd-warshall: all-pairs shortest paths on a dense directed graph of N nodes, int32. About
 * 40% of the edges are missing (weight NO_EDGE); NO_EDGE + NO_EDGE still fits in an int32.
 */
#include "kernel.h"

#define N 80
#define NO_EDGE (1 << 29)

const char *const kernel_name = "floyd-warshall";

static int32_t dist[N][N];

void kernel_init(void)
{
    lcg_state = 0x666c6f79u;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            uint32_t r = lcg_next() >> 8;
            if (i == j)
                dist[i][j] = 0;
            else if (r % 10 < 4)
                dist[i][j] = NO_EDGE;
            else
                dist[i][j] = (int32_t)(1 + (r >> 4) % 100);
        }
}

void kernel_run(void)
{
    for (int k = 0; k < N; k++)
        for (int i = 0; i < N; i++) {
            int32_t dik = dist[i][k];
            for (int j = 0; j < N; j++) {
                int32_t through = dik + dist[k][j];
                if (through < dist[i][j])
                    dist[i][j] = through;
            }
        }
}

uint32_t kernel_checksum(void)
{
    uint32_t h = 0x811c9dc5u;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            h = fold(h, (uint32_t)dist[i][j]);
    return h;
}
