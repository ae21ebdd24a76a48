import { describe, expect, it } from 'vitest';
import { bucketFloor, formatInfo, formatMicros, formatStats, histogramQuantile } from '../../src/serve/format.js';

describe('INFO and STATS as text', () => {
  it('bounds quantiles by the upper edge of their log2 bucket', () => {
    const latency = new Array<number>(20).fill(0);
    latency[0] = 50; // < 512 ticks
    latency[3] = 49; // 2048..4095
    latency[19] = 1; // the open last bucket
    expect(bucketFloor(0)).toBe(256);
    expect(histogramQuantile(latency, 0.5)).toBe(512);
    expect(histogramQuantile(latency, 0.9)).toBe(4096);
    expect(histogramQuantile(latency, 1)).toBe(Infinity);
    expect(histogramQuantile(new Array<number>(20).fill(0), 0.5)).toBeUndefined();
  });
  it('prints the routes and the counters readably', () => {
    expect(formatMicros(200)).toBe('200.0 µs');
    expect(formatMicros(2500)).toBe('2.50 ms');
    const info = formatInfo('m4-0', {
      kind: 'info', id: 1, counterHz: 25_000_000, policy: 'edf', utilisation: 0.8, queue: 8,
      routes: [{ route: 'parse', expectedUs: 200, deadlineUs: 2000, budgetUs: 0, maxRequest: 512, maxResponse: 64, instance: 'warm' }],
    });
    expect(info.split('\n')).toEqual([
      'm4-0: EDF scheduling, utilisation bound 0.800, 8 queue slots, counter 25000000 Hz',
      '  route  expected  deadline  budget  max request  max response  instance',
      '  parse  200.0 µs   2.00 ms    none        512 B          64 B      warm',
    ]);
    const latency = new Array<number>(20).fill(0);
    latency[1] = 4;
    const stats = formatStats('m4-0', { kind: 'stats', id: 2, uptimeTicks: 25_000_000, badFrames: 1, queueFull: 0, routes: [{ route: 'parse', served: 4, rejected: 1, missed: 0, failed: 0, budget: 0, restores: 4, restoreTicks: 400, latency }] }, 25_000_000);
    expect(stats).toContain('m4-0: up 1.00 s (25000000 ticks), 1 bad frames, 0 queue full');
    expect(stats).toMatch(/parse +4 +1 +0 +0 +0 +≤ 41\.0 µs +≤ 41\.0 µs +4 +4\.00 µs/);
    expect(stats).toContain('512..1023        4  ########################################');
  });
});
