/*
 * particles: 1,024 particles as an array of 32-byte records (position, velocity, inverse mass,
 * spring constant; f32), 16 time steps. Each step pulls every particle towards the axis with a
 * spring, adds gravity and drag, moves it, and bounces it off the floor and the walls of a
 * box (reflecting the velocity with a loss). The kinetic energy of each step is summed in
 * order.
 */
#include <string.h>

#include "kernel.h"

#define N 1024
#define STEPS 16

const char *const kernel_name = "particles";

struct particle {
    float x, y, z;
    float vx, vy, vz;
    float inv_mass;
    float spring;
};

static struct particle p[N];
static float energy[STEPS];

static float next_f32(void)
{
    return (float)(lcg_next() >> 8) * (1.0f / 16777216.0f);
}

void kernel_init(void)
{
    lcg_state = 0x70617274u;
    for (int i = 0; i < N; i++) {
        p[i].x = next_f32() * 2.0f - 1.0f;
        p[i].y = next_f32() * 2.0f - 1.0f;
        p[i].z = next_f32() * 4.0f;
        p[i].vx = next_f32() - 0.5f;
        p[i].vy = next_f32() - 0.5f;
        p[i].vz = next_f32() - 0.5f;
        p[i].inv_mass = 0.5f + next_f32();
        p[i].spring = next_f32() * 4.0f;
    }
    for (int t = 0; t < STEPS; t++)
        energy[t] = 0.0f;
}

void kernel_run(void)
{
    const float dt = 0.015625f;
    const float drag = 0.99609375f;
    const float gravity = -9.8125f;
    for (int t = 0; t < STEPS; t++) {
        float e = 0.0f;
        for (int i = 0; i < N; i++) {
            struct particle *q = &p[i];
            float ax = -q->spring * q->x * q->inv_mass;
            float ay = -q->spring * q->y * q->inv_mass;
            q->vx = (q->vx + ax * dt) * drag;
            q->vy = (q->vy + ay * dt) * drag;
            q->vz = (q->vz + gravity * dt) * drag;
            q->x += q->vx * dt;
            q->y += q->vy * dt;
            q->z += q->vz * dt;
            if (q->z < 0.0f) {
                q->z = -q->z;
                q->vz = -q->vz * 0.75f;
            }
            if (q->x > 1.0f || q->x < -1.0f) {
                q->x = q->x > 0.0f ? 2.0f - q->x : -2.0f - q->x;
                q->vx = -q->vx * 0.75f;
            }
            if (q->y > 1.0f || q->y < -1.0f) {
                q->y = q->y > 0.0f ? 2.0f - q->y : -2.0f - q->y;
                q->vy = -q->vy * 0.75f;
            }
            e += (q->vx * q->vx + q->vy * q->vy + q->vz * q->vz) / q->inv_mass;
        }
        energy[t] = 0.5f * e;
    }
}

static uint32_t fold_f32(uint32_t h, float f)
{
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    return fold(h, bits);
}

uint32_t kernel_checksum(void)
{
    uint32_t h = 0;
    for (int i = 0; i < N; i++) {
        h = fold_f32(h, p[i].x);
        h = fold_f32(h, p[i].y);
        h = fold_f32(h, p[i].z);
        h = fold_f32(h, p[i].vx);
        h = fold_f32(h, p[i].vy);
        h = fold_f32(h, p[i].vz);
    }
    for (int t = 0; t < STEPS; t++)
        h = fold_f32(h, energy[t]);
    return h;
}
