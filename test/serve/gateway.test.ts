import { afterEach, describe, expect, it } from 'vitest';
import { DeviceConnection } from '../../src/serve/device.js';
import { FakeDevice, fakeRoute } from '../../src/serve/fake-device.js';
import type { FakeRoute } from '../../src/serve/fake-device.js';
import { startGateway } from '../../src/serve/gateway.js';
import type { Gateway } from '../../src/serve/gateway.js';
import { connectTcp } from '../../src/serve/link.js';
import { DevicePool } from '../../src/serve/pool.js';
import type { MemberState } from '../../src/serve/pool.js';
import { linkSource } from '../../src/serve/sources.js';
import { until } from './until.js';
import type { DeviceSource } from '../../src/serve/sources.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function fakes(...routeSets: FakeRoute[][]): Promise<FakeDevice[]> {
  const devices = await Promise.all(routeSets.map((routes) => FakeDevice.start({ routes, counterHz: 1_000_000 })));
  open.push(...devices);
  return devices;
}

const timeouts = { requestTimeoutMs: 300, livenessMs: 300 };

async function serve(sources: DeviceSource[], onState?: (name: string, state: MemberState) => void, requestTimeoutMs = timeouts.requestTimeoutMs): Promise<{ pool: DevicePool; gw: Gateway }> {
  const pool = new DevicePool(sources, { connection: { ...timeouts, requestTimeoutMs }, retryMs: 50, onState: (m, s) => onState?.(m.source.name, s) });
  await pool.start();
  const gw = await startGateway(pool, 0, '127.0.0.1');
  open.push(pool, gw);
  return { pool, gw };
}

const sourcesOf = (devices: FakeDevice[]) => devices.map((d, i) => linkSource(`fake${i}`, { kind: 'tcp', host: '127.0.0.1', port: d.port }));

const post = (gw: Gateway, route: string, body: string | Buffer = '', headers: Record<string, string> = {}) => fetch(`${gw.url}/${route}`, { method: 'POST', body, headers });

describe('bento serve gateway', () => {
  it('maps every device status to HTTP, with the X-Bento headers', async () => {
    const status = (s: Parameters<typeof fakeRoute>[1] & { kind: 'status' }) => s;
    const [d] = await fakes([
      fakeRoute('ok', { kind: 'echo', runTicks: 40, queuedTicks: 2 }),
      fakeRoute('rejected', status({ kind: 'status', status: 'REJECTED', code: 0 })),
      fakeRoute('late', status({ kind: 'status', status: 'DEADLINE_MISSED', code: -1 })),
      fakeRoute('fails', status({ kind: 'status', status: 'FUNCTION_ERROR', code: -21 })),
      fakeRoute('budget', status({ kind: 'status', status: 'BUDGET_EXCEEDED', code: -8 })),
      fakeRoute('badframe', status({ kind: 'status', status: 'BAD_FRAME', code: 2 })),
      fakeRoute('full', status({ kind: 'status', status: 'QUEUE_FULL', code: 16 })),
      fakeRoute('mute', { kind: 'silent' }),
    ]);
    const { gw } = await serve(sourcesOf([d!]));
    const ok = await post(gw, 'ok', 'ping', { 'X-Bento-Deadline-Us': '1500' });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('ping');
    expect(Object.fromEntries(['x-bento-status', 'x-bento-code', 'x-bento-device', 'x-bento-latency-ticks', 'x-bento-queued-ticks', 'x-bento-run-ticks'].map((h) => [h, ok.headers.get(h)]))).toEqual({
      'x-bento-status': 'ok', 'x-bento-code': '4', 'x-bento-device': 'fake0', 'x-bento-latency-ticks': '42', 'x-bento-queued-ticks': '2', 'x-bento-run-ticks': '40',
    });
    expect(d!.requests[0]!.deadlineUs).toBe(1500);
    const expected: [string, number, string, string][] = [
      ['rejected', 503, 'rejected', '0'],
      ['late', 504, 'deadline-missed', '-1'],
      ['fails', 502, 'function-error', '-21'],
      ['budget', 502, 'budget-exceeded', '-8'],
      ['badframe', 502, 'bad-frame', '2'],
      ['full', 503, 'queue-full', '16'],
      ['mute', 504, 'timeout', '0'],
    ];
    const got = await Promise.all(expected.map(([route]) => post(gw, route, 'x')));
    expect(got.map((r) => [r.status, r.headers.get('x-bento-status'), r.headers.get('x-bento-code')])).toEqual(expected.map(([, s, w, c]) => [s, w, c]));
    expect(got[0]!.headers.get('retry-after')).toBe('0');
    expect(await got[2]!.json()).toEqual({ status: 'FUNCTION_ERROR', code: -21, device: 'fake0' });
    const zero = await post(gw, 'ok', 'x', { 'X-Bento-Deadline-Us': '0' });
    expect([zero.status, zero.headers.get('x-bento-status')]).toEqual([400, 'bad-deadline']);
    const junk = await post(gw, 'ok', 'x', { 'X-Bento-Deadline-Us': 'soon' });
    expect([junk.status, junk.headers.get('x-bento-device')]).toEqual([400, '']);
  });

  it('answers 404 and 413 itself, without asking a device', async () => {
    const [d] = await fakes([fakeRoute('small', { kind: 'echo' }, { maxRequest: 8 })]);
    const { gw } = await serve(sourcesOf([d!]));
    const unknown = await post(gw, 'nothing', 'x');
    expect([unknown.status, unknown.headers.get('x-bento-status')]).toEqual([404, 'unknown-route']);
    const big = await post(gw, 'small', Buffer.alloc(9));
    expect([big.status, big.headers.get('x-bento-status'), big.headers.get('x-bento-code')]).toEqual([413, 'too-large', '8']);
    const fits = await post(gw, 'small', Buffer.alloc(8));
    expect(fits.status).toBe(200);
    expect(d!.requests).toHaveLength(1);
    expect((await fetch(`${gw.url}/_bento/nothing`)).status).toBe(404);
  });

  it('says 503, not 404, while a device that was never up may still serve the route', async () => {
    const [d] = await fakes([fakeRoute('a', { kind: 'echo' })]);
    const { gw } = await serve([...sourcesOf([d!]), linkSource('nowhere', { kind: 'tcp', host: '127.0.0.1', port: 1 })]);
    const r = await post(gw, 'b', 'x');
    expect([r.status, r.headers.get('x-bento-status')]).toEqual([503, 'no-device']);
    expect((await post(gw, 'a', 'x')).status).toBe(200);
  });

  it('keeps no more requests in flight on a device than its queue slots', async () => {
    const d = await FakeDevice.start({ routes: [fakeRoute('slow', { kind: 'echo', delayMs: 200 })], queue: 2 });
    open.push(d);
    const { gw } = await serve(sourcesOf([d]), undefined, 2000);
    const answers = await Promise.all([1, 2, 3].map((i) => post(gw, 'slow', String(i))));
    expect(answers.map((a) => [a.status, a.headers.get('x-bento-status')]).sort()).toEqual([[200, 'ok'], [200, 'ok'], [503, 'busy']]);
    expect(answers.find((a) => a.status === 503)!.headers.get('retry-after')).toBe('0');
    expect(d.requests).toHaveLength(2);
  });

  it('spreads requests over the devices by fewest outstanding', async () => {
    // Slow enough that all 30 are in flight at once, even on a loaded machine.
    const slow = () => [fakeRoute('work', { kind: 'echo', delayMs: 1000 })];
    const devices = await fakes(slow(), slow(), slow());
    const { gw } = await serve(sourcesOf(devices), undefined, 5000);
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => post(gw, 'work', String(i))));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(devices.map((d) => d.requests.length)).toEqual([10, 10, 10]);
    // A device busy with a long request gets none of the next ones while others are idle.
    for (const d of devices) d.behave('work', { kind: 'echo', delayMs: 600 });
    const busy = post(gw, 'work', 'long');
    await new Promise((r) => setTimeout(r, 50));
    for (const d of devices) d.behave('work', { kind: 'echo' });
    const next: (string | null)[] = [];
    for (let i = 0; i < 6; i++) next.push((await post(gw, 'work', 'short')).headers.get('x-bento-device'));
    const busyOne = (await busy).headers.get('x-bento-device');
    expect(next).not.toContain(busyOne);
    expect(new Set(next).size).toBe(2);
  });

  it('answers the request of a device that closes mid-request, and keeps serving on the others', async () => {
    const [bad, good] = await fakes([fakeRoute('work', { kind: 'reset' })], [fakeRoute('work', { kind: 'echo', delayMs: 50 })]);
    const states: string[] = [];
    const { gw, pool } = await serve(sourcesOf([bad!, good!]), (name, s) => states.push(`${name} ${s}`), 3000);
    const both = await Promise.all([post(gw, 'work', 'a'), post(gw, 'work', 'b')]);
    const byDevice = Object.fromEntries(both.map((r) => [r.headers.get('x-bento-device'), [r.status, r.headers.get('x-bento-status')]]));
    expect(byDevice).toEqual({ fake0: [504, 'device-down'], fake1: [200, 'ok'] });
    expect(states).toContain('fake0 down');
    bad!.behave('work', { kind: 'echo' }); // it came back from its reset
    const after = await Promise.all(Array.from({ length: 3 }, () => post(gw, 'work', 'c')));
    expect(after.map((r) => `${r.status} ${r.headers.get('x-bento-status')}`)).toEqual(['200 ok', '200 ok', '200 ok']);
    // The link is opened again once the device answers INFO.
    await until(() => pool.members[0]!.state === 'up');
    expect(pool.members[0]!.reconnects).toBeGreaterThanOrEqual(1);
    const devices = (await (await fetch(`${gw.url}/_bento/devices`)).json()) as { devices: { name: string; state: string; routes: string[] }[] };
    expect(devices.devices.map((d) => [d.name, d.routes])).toEqual([['fake0', ['work']], ['fake1', ['work']]]);
  });

  it('restarts a restartable device that stops answering INFO, and says 503 while none is up', async () => {
    const [d] = await fakes([fakeRoute('work', { kind: 'echo' })]);
    let starts = 0;
    const restartable: DeviceSource = {
      name: 'emu0',
      where: 'a fake emulator',
      restarts: true,
      connect: (options) => {
        starts++;
        d!.hung = false; // a restarted device answers again
        return DeviceConnection.open('emu0', (h) => connectTcp('127.0.0.1', d!.port, h), options);
      },
      stop: async () => d!.dropConnections(),
    };
    const states: string[] = [];
    const pool = new DevicePool([restartable], { connection: { ...timeouts, heartbeatMs: 100 }, retryMs: 1000, onState: (m, s) => states.push(s) });
    await pool.start();
    const gw = await startGateway(pool, 0, '127.0.0.1');
    open.push(pool, gw);
    expect((await post(gw, 'work', 'x')).status).toBe(200);
    d!.hung = true;
    await until(() => states.includes('down')); // a heartbeat INFO went unanswered
    const none = await post(gw, 'work', 'x');
    expect([none.status, none.headers.get('x-bento-status')]).toEqual([503, 'no-device']);
    await until(() => states.length === 3);
    expect(starts).toBe(2);
    expect(pool.members[0]!.restarts).toBe(1);
    expect(states).toEqual(['up', 'down', 'up']);
    expect((await post(gw, 'work', 'y')).status).toBe(200);
    const stats = (await (await fetch(`${gw.url}/_bento/stats`)).json()) as { devices: { name: string; routes: { route: string; served: number }[] }[] };
    expect(stats.devices[0]!.routes[0]).toMatchObject({ route: 'work', served: 2 });
  });
});
