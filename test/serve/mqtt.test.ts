import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDevice, fakeRoute } from '../../src/serve/fake-device.js';
import { MqttClient } from '../../src/serve/mqtt/client.js';
import { startMqttBridge } from '../../src/serve/mqtt-bridge.js';
import type { MqttBridge } from '../../src/serve/mqtt-bridge.js';
import { DevicePool } from '../../src/serve/pool.js';
import { linkSource } from '../../src/serve/sources.js';
import { Broker, mosquittoBinary } from '../support/mosquitto.js';

const mosquitto = mosquittoBinary;
if (!mosquitto) console.warn('test/serve/mqtt.test.ts: skipped: no mosquitto (apt-get install mosquitto)');
let broker: Broker;

describe.skipIf(!mosquitto)('MQTT requests (against mosquitto)', () => {
  let device: FakeDevice;
  let pool: DevicePool;
  let bridge: MqttBridge;
  let client: MqttClient;
  const got: { topic: string; payload: Buffer }[] = [];
  const notes: string[] = [];

  beforeAll(async () => {
    broker = await Broker.start();
    const port = broker.port;
    device = await FakeDevice.start({ routes: [fakeRoute('echo', { kind: 'echo', runTicks: 9 }), fakeRoute('fails', { kind: 'status', status: 'FUNCTION_ERROR', code: -21 })] });
    pool = new DevicePool([linkSource('fake0', { kind: 'tcp', host: '127.0.0.1', port: device.port })]);
    await pool.start();
    bridge = startMqttBridge(pool, `mqtt://127.0.0.1:${port}`, 'bento', (n) => notes.push(n));
    await bridge.ready;
    client = new MqttClient({
      url: `mqtt://127.0.0.1:${port}`, clientId: 'bento-test', retryMs: 100,
      subscriptions: [{ filter: 'bento/response/#', qos: 1 }, { filter: 'bento/error/#', qos: 1 }],
      onMessage: (topic, payload) => got.push({ topic, payload }),
    });
    await client.start();
  });

  afterAll(async () => {
    await client?.close();
    await bridge?.close();
    await pool?.close();
    await device?.close();
    await broker?.stop();
  });

  const answer = async (topic: string) => {
    for (let i = 0; i < 100 && !got.some((g) => g.topic === topic); i++) await new Promise((r) => setTimeout(r, 20));
    const found = got.find((g) => g.topic === topic);
    if (!found) throw new Error(`nothing on ${topic}; got ${got.map((g) => g.topic).join(', ')}`);
    return found.payload;
  };

  it('runs a request and answers on the response topic, with and without a correlation id', async () => {
    await client.publish('bento/request/echo/req-42', Buffer.from([0, 1, 2, 0]), 1);
    expect([...(await answer('bento/response/echo/req-42'))]).toEqual([0, 1, 2, 0]);
    await client.publish('bento/request/echo', Buffer.from('plain'), 0);
    expect((await answer('bento/response/echo')).toString()).toBe('plain');
  });

  it('answers failures on the error topic as JSON', async () => {
    await client.publish('bento/request/fails/7', Buffer.from('x'), 1);
    expect(JSON.parse((await answer('bento/error/fails/7')).toString())).toEqual({ status: 'FUNCTION_ERROR', code: -21, device: 'fake0', latencyTicks: 0, queuedTicks: 0, runTicks: 0 });
    await client.publish('bento/request/nothing/8', Buffer.from('x'), 1);
    expect(JSON.parse((await answer('bento/error/nothing/8')).toString())).toMatchObject({ status: 'UNKNOWN_ROUTE', code: 0, device: null });
  });

  it('reconnects to a broker that restarted', async () => {
    await broker.restart();
    for (let i = 0; i < 150 && !(bridge.client.isConnected && client.isConnected); i++) await new Promise((r) => setTimeout(r, 20));
    expect(bridge.client.isConnected).toBe(true);
    await client.publish('bento/request/echo/again', Buffer.from('back'), 1);
    expect((await answer('bento/response/echo/again')).toString()).toBe('back');
    expect(notes.some((n) => /lost mqtt:\/\/127\.0\.0\.1:\d+; reconnecting/.test(n))).toBe(true);
  });
});
