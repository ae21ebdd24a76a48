import { afterEach, describe, expect, it } from 'vitest';
import { DeviceConnection } from '../../src/serve/device.js';
import { FakeDevice, fakeRoute } from '../../src/serve/fake-device.js';
import { connectTcp } from '../../src/serve/link.js';
import { until } from './until.js';

const started: FakeDevice[] = [];
afterEach(async () => {
  for (const d of started.splice(0)) await d.close();
});

async function fake(...routes: ReturnType<typeof fakeRoute>[]) {
  const d = await FakeDevice.start({ routes, counterHz: 1_000_000 });
  started.push(d);
  return d;
}

const connect = (d: FakeDevice, options = {}) => DeviceConnection.open('dev0', (h) => connectTcp('127.0.0.1', d.port, h), { livenessMs: 300, requestTimeoutMs: 300, ...options });

describe('DeviceConnection', () => {
  it('learns the routes with INFO and matches answers to requests', async () => {
    const d = await fake(fakeRoute('echo', { kind: 'echo', runTicks: 77, queuedTicks: 3 }), fakeRoute('slow', { kind: 'echo', delayMs: 60 }));
    const c = await connect(d);
    expect(c.info.counterHz).toBe(1_000_000);
    expect(c.info.routes.map((r) => r.route)).toEqual(['echo', 'slow']);
    // The slow one is sent first and answered last: answers find their requests by id.
    const [slow, fast] = await Promise.all([c.request('slow', Buffer.from('1')), c.request('echo', Buffer.from([0, 1, 0]))]);
    expect(slow.kind === 'response' && slow.response.payload.toString()).toBe('1');
    expect(fast.kind === 'response' && [...fast.response.payload]).toEqual([0, 1, 0]);
    expect(fast.kind === 'response' && fast.response).toMatchObject({ status: 'OK', code: 3, runTicks: 77, queuedTicks: 3, latencyTicks: 80 });
    expect(d.requests.map((r) => r.deadlineUs)).toEqual([0xffffffff, 0xffffffff]);
    expect(c.outstanding).toBe(0);
    c.close();
  });

  it('passes the deadline and the device statuses through', async () => {
    const d = await fake(fakeRoute('bad', { kind: 'status', status: 'FUNCTION_ERROR', code: -21 }, { maxRequest: 4 }));
    const c = await connect(d);
    const err = await c.request('bad', Buffer.from('x'), 1500);
    expect(err.kind === 'response' && [err.response.status, err.response.code]).toEqual(['FUNCTION_ERROR', -21]);
    const big = await c.request('bad', Buffer.alloc(5));
    expect(big.kind === 'response' && [big.response.status, big.response.code]).toEqual(['TOO_LARGE', 4]);
    const none = await c.request('nothing', Buffer.alloc(0));
    expect(none.kind === 'response' && none.response.status).toBe('UNKNOWN_ROUTE');
    expect(d.requests[0]!.deadlineUs).toBe(1500);
    c.close();
  });

  it('times a silent request out but stays up while INFO is answered', async () => {
    const d = await fake(fakeRoute('mute', { kind: 'silent' }));
    const c = await connect(d, { livenessMs: 3000 });
    const out = await c.request('mute', Buffer.alloc(1), undefined, 100);
    expect(out.kind).toBe('timeout');
    expect(c.outstanding).toBe(0);
    // The INFO sent after the timeout is answered: still up.
    await until(() => !c.checking);
    expect(c.up).toBe(true);
    c.close();
  });

  it('is down when the device hangs, and when its link closes mid-request', async () => {
    const d = await fake(fakeRoute('mute', { kind: 'silent' }), fakeRoute('boom', { kind: 'reset' }));
    const downs: string[] = [];
    const c = await connect(d, { onDown: (r: string) => downs.push(r) });
    d.hung = true;
    expect((await c.request('mute', Buffer.alloc(1), undefined, 50)).kind).toBe('timeout');
    await until(() => !c.up);
    expect(downs).toEqual(['no answer to INFO within 300 ms']);
    expect((await c.request('mute', Buffer.alloc(1))).kind).toBe('down');

    d.hung = false;
    const c2 = await connect(d);
    const cut = await c2.request('boom', Buffer.alloc(1), undefined, 5000);
    expect(cut.kind).toBe('down');
    expect(cut.wallMs).toBeLessThan(1000);
    expect(c2.up).toBe(false);
  });

  it('refuses to open a device that does not answer INFO', async () => {
    const d = await fake(fakeRoute('x', { kind: 'silent' }));
    d.hung = true;
    await expect(connect(d)).rejects.toThrow(/no answer to INFO within 300 ms/);
  });

  it('gives each request in flight its own non-zero id', async () => {
    const d = await fake(fakeRoute('e', { kind: 'echo', delayMs: 20 }));
    const c = await connect(d);
    const outs = await Promise.all(Array.from({ length: 50 }, (_, i) => c.request('e', Buffer.from(String(i)))));
    expect(outs.map((o) => (o.kind === 'response' ? o.response.payload.toString() : o.kind))).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
    c.close();
  });

  it('reads STATS', async () => {
    const d = await fake(fakeRoute('e', { kind: 'echo', runTicks: 1000 }));
    const c = await connect(d);
    await c.request('e', Buffer.alloc(1));
    const s = await c.stats();
    expect(s.routes[0]).toMatchObject({ route: 'e', served: 1 });
    expect(s.routes[0]!.latency[1]).toBe(1); // 1000 ticks: floor(log2) = 9, bucket 1
    c.close();
  });
});
