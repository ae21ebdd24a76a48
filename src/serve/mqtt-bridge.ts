import { randomBytes } from 'node:crypto';
import { dispatch } from './dispatch.js';
import type { Reply } from './dispatch.js';
import { MqttClient } from './mqtt/client.js';
import type { DevicePool } from './pool.js';

/**
 * Requests over MQTT (docs/serve.md): a PUBLISH to `<topic>/request/<route>[/<correlation>]`
 * runs the route with the payload; the answer goes to `<topic>/response/<route>[/<correlation>]`
 * with the function's response when it is OK, and to `<topic>/error/<route>[/<correlation>]` as
 * a small JSON account otherwise, so that a response payload is never mistaken for an error.
 * Answers are published at QoS 1. MQTT 3.1.1 has no properties: the route's own deadline applies.
 */
export interface MqttBridge {
  readonly client: MqttClient;
  /** Settles once the broker first took the connection and the subscription (it keeps trying until then). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/** The JSON of an answer that is not OK (on the error topic). */
export function errorDocument(reply: Reply): Record<string, unknown> {
  return {
    status: reply.status,
    code: reply.code,
    device: reply.device || null,
    ...(reply.latencyTicks !== undefined ? { latencyTicks: reply.latencyTicks, queuedTicks: reply.queuedTicks, runTicks: reply.runTicks } : {}),
    ...(reply.message ? { message: reply.message } : {}),
  };
}

export function startMqttBridge(pool: DevicePool, url: string, topic: string, onNote: (message: string) => void): MqttBridge {
  const prefix = `${topic}/request/`;
  const client: MqttClient = new MqttClient({
    url,
    clientId: `bento-serve-${randomBytes(4).toString('hex')}`,
    subscriptions: [{ filter: `${topic}/request/#`, qos: 1 }],
    onNote,
    onMessage: (got, payload) => {
      if (!got.startsWith(prefix)) return;
      const [route, ...rest] = got.slice(prefix.length).split('/');
      if (!route) return onNote(`MQTT: ${got} names no route; ignored`);
      const tail = [route, ...rest].join('/');
      void dispatch(pool, route, payload, undefined).then((reply) => {
        const ok = reply.status === 'OK';
        const body = ok ? reply.payload : Buffer.from(JSON.stringify(errorDocument(reply)));
        return client.publish(`${topic}/${ok ? 'response' : 'error'}/${tail}`, body, 1);
      });
    },
  });
  return { client, ready: client.start(), close: () => client.close() };
}
