// `bento serve` in front of a real device: examples/serverless on an emulated m4 behind HTTP and a
// real MQTT broker. Answers and status codes map the device's, a looping function is cut at its
// budget and the next request served, and when the device's QEMU is killed the gateway answers the
// request in flight, restarts the device and serves again.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/serve/emulator.js';
import { MqttClient } from '../../src/serve/mqtt/client.js';
import { projectRoot } from '../support/cli.js';
import { Broker, mosquittoBinary } from '../support/mosquitto.js';

const example = join(projectRoot, 'examples/serverless');
if (!mosquittoBinary) console.warn('test/e2e/serve.test.ts: skipped: no mosquitto (apt-get install mosquitto)');

interface Device {
  name: string;
  state: string;
  restarts: number;
}

describe.skipIf(!mosquittoBinary)('bento serve with an emulated m4', () => {
  let broker: Broker;
  let gateway: ChildProcess;
  let base: string;
  let log = '';
  let client: MqttClient;
  const got: { topic: string; payload: Buffer }[] = [];

  const devices = async (): Promise<Device[]> => ((await (await fetch(`${base}/_bento/devices`)).json()) as { devices: Device[] }).devices;
  const until = async (what: string, check: () => Promise<boolean>, seconds = 120) => {
    for (let i = 0; i < seconds * 5; i++) {
      if (await check().catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${what} did not happen in ${seconds} s; the gateway said:\n${log}`);
  };
  const post = (route: string, body: string | Buffer) => fetch(`${base}/${route}`, { method: 'POST', body });

  beforeAll(async () => {
    broker = await Broker.start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    gateway = spawn(process.execPath, [join(projectRoot, 'bin/bento.js'), 'serve', '--emulate', '1', '--board', 'm4', '--icount', '--port', String(port), '--mqtt', broker.url], { cwd: example, stdio: ['ignore', 'pipe', 'pipe'] });
    gateway.stdout!.on('data', (c: Buffer) => (log += c.toString()));
    gateway.stderr!.on('data', (c: Buffer) => (log += c.toString()));
    await until('the device coming up', async () => (await devices()).some((d) => d.state === 'up'), 240);
    client = new MqttClient({ url: broker.url, clientId: 'bento-e2e', retryMs: 100, subscriptions: [{ filter: 'bento/response/#', qos: 1 }, { filter: 'bento/error/#', qos: 1 }], onMessage: (topic, payload) => got.push({ topic, payload }) });
    await client.start();
  }, 300_000);

  afterAll(async () => {
    await client?.close();
    if (gateway && gateway.exitCode === null) {
      const exited = new Promise((r) => gateway.once('exit', r));
      gateway.kill('SIGTERM');
      await exited;
    }
    await broker?.stop();
  });

  it('maps the device answers to HTTP', async () => {
    const parsed = await post('parse', 'id=7,t=21.5,h=40;id=8,t=19.0;bad');
    expect(parsed.status).toBe(200);
    const body = Buffer.from(await parsed.arrayBuffer());
    // good 2, bad 1, min 19.0, max 21.5, mean 20.2 (tenths)
    expect([body.readUInt16LE(0), body.readUInt16LE(2), body.readInt32LE(4), body.readInt32LE(8), body.readInt32LE(12)]).toEqual([2, 1, 190, 215, 202]);
    expect(parsed.headers.get('x-bento-status')).toBe('ok');

    const looped = await post('pack', 'LOOP forever');
    expect(looped.status).toBe(502);
    expect(looped.headers.get('x-bento-status')).toBe('budget-exceeded');
    const peek = await post('pack', 'PEEK');
    expect([peek.status, peek.headers.get('x-bento-code')]).toEqual([502, '-21']);
    const packed = await post('pack', 'aaaabbbc');
    expect([...Buffer.from(await packed.arrayBuffer()).subarray(4)]).toEqual([4, 97, 3, 98, 1, 99]);

    expect((await post('nosuchroute', 'x')).status).toBe(404);
    expect((await post('parse', Buffer.alloc(600, 0x41))).status).toBe(413);
  });

  it('round-trips requests through the MQTT broker', async () => {
    await client.publish('bento/request/filter/m-1', Buffer.from(new Int16Array([1000, 1000, 1000, 1000]).buffer), 1);
    await until('the MQTT answer', async () => got.some((g) => g.topic === 'bento/response/filter/m-1'), 30);
    const answer = got.find((g) => g.topic === 'bento/response/filter/m-1')!.payload;
    expect([0, 1, 2, 3].map((i) => answer.readInt16LE(2 * i))).toEqual([-3, -8, -8, 20]);
    await client.publish('bento/request/pack/m-2', Buffer.from('PEEK'), 1);
    await until('the MQTT error', async () => got.some((g) => g.topic === 'bento/error/pack/m-2'), 30);
    expect(JSON.parse(got.find((g) => g.topic === 'bento/error/pack/m-2')!.payload.toString())).toMatchObject({ status: 'FUNCTION_ERROR', code: -21 });
  });

  it('survives a device reset: answers the request in flight, restarts the device, serves again', async () => {
    const qemu = execFileSync('pgrep', ['-P', String(gateway.pid), '-f', 'qemu-system-arm'], { encoding: 'utf8' }).trim().split('\n')[0]!;
    expect(qemu).toMatch(/^\d+$/);
    // A request in flight when the device goes: 5 ms of packing, then the kill.
    const inFlight = post('pack', Buffer.alloc(2000, 7));
    process.kill(Number(qemu), 'SIGKILL');
    const answer = await inFlight;
    expect([200, 502, 503, 504]).toContain(answer.status); // answered, whichever came first: never left hanging
    await until('the device restarted', async () => (await devices()).some((d) => d.state === 'up' && d.restarts >= 1));
    const again = await post('parse', 'id=1,t=5');
    expect(again.status).toBe(200);
    expect(log).toMatch(/m4-0 down/);
  });
});
