import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad, summariseLoad } from '../../src/bench/serverless.js';
import { arrivalTimes, percentile, routePicker, seededRandom } from '../../src/bench/serverless-load.js';
import { formatServerlessReport } from '../../src/bench/serverless-report.js';
import { FakeDevice, fakeRoute } from '../../src/serve/fake-device.js';
import { DevicePool } from '../../src/serve/pool.js';
import { linkSource } from '../../src/serve/sources.js';
import { bento } from '../support/cli.js';

describe('serverless load', () => {
  it('spaces fixed arrivals evenly and Poisson ones with the right mean', () => {
    expect(arrivalTimes(4, 200, 'fixed', seededRandom(1))).toEqual([0, 5, 10, 15]);
    const t = arrivalTimes(20_001, 100, 'poisson', seededRandom(7));
    expect(t[20_000]! / 20_000).toBeGreaterThan(9.7);
    expect(t[20_000]! / 20_000).toBeLessThan(10.3);
  });
  it('picks routes by weight, the same way for the same seed', () => {
    const mix = [{ route: 'a', weight: 3 }, { route: 'b', weight: 1 }];
    const pick = routePicker(mix, seededRandom(3));
    const counts = { a: 0, b: 0 } as Record<string, number>;
    for (let i = 0; i < 4000; i++) counts[pick().route]!++;
    expect(counts.a! / 4000).toBeCloseTo(0.75, 1);
    const again = routePicker(mix, seededRandom(3));
    const first = routePicker(mix, seededRandom(3));
    expect(Array.from({ length: 20 }, () => again().route)).toEqual(Array.from({ length: 20 }, () => first().route));
  });
  it('takes percentiles by nearest rank', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(v, 50), percentile(v, 90), percentile(v, 99), percentile([7], 99)]).toEqual([50, 90, 99, 7]);
  });
});

describe('bench serverless against fake devices', () => {
  let devices: FakeDevice[];
  let pool: DevicePool;
  beforeAll(async () => {
    const routes = () => [
      fakeRoute('fast', { kind: 'echo', runTicks: 1000 }),
      fakeRoute('late', { kind: 'status', status: 'DEADLINE_MISSED', code: -1 }),
      fakeRoute('busy', { kind: 'status', status: 'REJECTED', code: 0 }),
    ];
    // Queue slots enough that a stalled event loop's catch-up never makes the gateway refuse (BUSY).
    devices = await Promise.all([FakeDevice.start({ routes: routes(), counterHz: 1_000_000, queue: 200 }), FakeDevice.start({ routes: routes(), counterHz: 1_000_000, queue: 200 })]);
    pool = new DevicePool(devices.map((d, i) => linkSource(`fake${i}`, { kind: 'tcp', host: '127.0.0.1', port: d.port })));
    await pool.start();
  });
  afterAll(async () => {
    await pool.close();
    for (const d of devices) await d.close();
  });

  it('sends at the rate, over both devices, and counts each outcome', async () => {
    const mix = [{ route: 'fast', weight: 2 }, { route: 'late', weight: 1, deadlineUs: 500 }, { route: 'busy', weight: 1 }];
    const result = await runLoad(pool, { mix, payloads: new Map([['fast', Buffer.from('x')]]), mode: { kind: 'rate', rate: 400, arrivals: 'fixed' }, requests: 200, seed: 5 });
    expect(result.samples).toHaveLength(200);
    // 200 requests 2.5 ms apart: about half a second.
    expect(result.wallSeconds).toBeGreaterThan(0.45);
    expect(result.wallSeconds).toBeLessThan(2);
    expect(devices[0]!.requests.length + devices[1]!.requests.length).toBe(200);
    expect(devices[0]!.requests.length).toBeGreaterThan(50);
    expect(devices.flatMap((d) => d.requests).filter((r) => r.route === 'late').every((r) => r.deadlineUs === 500)).toBe(true);
    const [fast, late, busy, all] = summariseLoad(result, mix.map((m) => m.route), 1_000_000);
    expect(fast!.latencyTicks).toEqual({ p50: 1000, p90: 1000, p99: 1000 });
    expect(fast!.latencyUs!.p99).toBe(1000);
    expect([fast!.errorRate, late!.missRate, busy!.rejectionRate]).toEqual([0, 1, 1]);
    expect(all!.sent).toBe(200);
    expect(all!.ok + all!.statuses.DEADLINE_MISSED! + all!.statuses.REJECTED!).toBe(200);
    const text = formatServerlessReport([{ label: 'fakes', scheduler: 'edf', instances: { fast: 'fresh' }, devices: 2, counterHz: 1_000_000, wallSeconds: result.wallSeconds, routes: [fast!, late!, busy!, all!] }], 'test');
    expect(text).toMatch(/\| fast \| fakes \(edf\) \| fresh \| \d+ \|/);
  });

  it('sends bursts, the next when all are answered', async () => {
    for (const d of devices) d.requests.length = 0;
    const result = await runLoad(pool, { mix: [{ route: 'fast', weight: 1 }], payloads: new Map(), mode: { kind: 'bursts', size: 8 }, requests: 20, seed: 1 });
    expect(result.samples.map((s) => s.status)).toEqual(new Array(20).fill('OK'));
  });
});

describe('bento bench serverless', () => {
  it('loads the devices given and reports per route as JSON', async () => {
    // Queue slots enough that a slow machine never makes the gateway refuse (BUSY) at this rate.
    const device = await FakeDevice.start({ queue: 200, routes: [fakeRoute('a', { kind: 'echo', runTicks: 600 }), fakeRoute('b', { kind: 'status', status: 'BUDGET_EXCEEDED', code: -8 })] });
    try {
      const r = await bento(['bench', 'serverless', '--device', device.address, '--rate', '500', '--requests', '40', '--arrivals', 'fixed', '--mix', 'a:1,b:1:3ms', '--json']);
      expect(r.stderr).toContain('bench serverless: devices given (EDF, 1 device(s)): 40 requests, 500/s fixed, seed 1');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as { runs: { routes: { route: string; sent: number; errorRate: number; latencyTicks?: { p99: number } }[] }[] };
      const [a, b, all] = out.runs[0]!.routes;
      expect([a!.route, b!.route, all!.route]).toEqual(['a', 'b', '*']);
      expect(a!.sent + b!.sent).toBe(40);
      expect(a!.latencyTicks!.p99).toBe(600);
      expect(b!.errorRate).toBe(1);
      expect(device.requests.filter((q) => q.route === 'b').every((q) => q.deadlineUs === 3000)).toBe(true);
    } finally {
      await device.close();
    }
  });

  it('refuses a route the devices do not serve', async () => {
    const device = await FakeDevice.start({ routes: [fakeRoute('a', { kind: 'echo' })] });
    try {
      const r = await bento(['bench', 'serverless', '--device', device.address, '--requests', '1', '--mix', 'zzz:1']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("error[B9001]: --mix: the devices serve no route 'zzz'");
    } finally {
      await device.close();
    }
  });
});
