import { BodyWriter, openBody, ProtocolError } from './body.js';
import { cobsEncode } from './cobs.js';
import { maxBody, maxRouteName, protocolVersion } from './limits.js';
import { instanceKinds, messageType, policies, statusNames } from './messages.js';
import type { DeviceMessage, InfoMessage, ResponseMessage, RouteInfo, RouteStats, StatsMessage } from './messages.js';

export { crc32 } from './crc32.js';
export { cobsDecode, cobsEncode } from './cobs.js';
export { FrameSplitter } from './frame-splitter.js';
export { ProtocolError } from './body.js';
export * from './messages.js';

/** A body as it goes on the wire: 0x00, COBS(body), 0x00. */
export function frame(body: Uint8Array): Buffer {
  if (body.length > maxBody) throw new RangeError(`a frame body of ${body.length} bytes is over the protocol's ${maxBody}`);
  return Buffer.concat([Buffer.from([0]), cobsEncode(body), Buffer.from([0])]);
}

/** Route names are 1..31 ASCII bytes; anything else cannot be sent. */
export function checkRouteName(route: string): void {
  if (!/^[\x21-\x7e]{1,31}$/.test(route)) throw new RangeError(`route '${route}' is not 1..${maxRouteName} printable ASCII characters`);
}

export function encodeRequest(id: number, route: string, payload: Uint8Array, deadlineUs: number): Buffer {
  checkRouteName(route);
  return new BodyWriter().u8(messageType.request).u8(protocolVersion).u32(id).u32(deadlineUs).name(route).u16(payload.length).raw(payload).finish();
}

export function encodeInfoRequest(id: number): Buffer {
  return new BodyWriter().u8(messageType.info).u8(protocolVersion).u32(id).finish();
}

export function encodeStatsRequest(id: number): Buffer {
  return new BodyWriter().u8(messageType.stats).u8(protocolVersion).u32(id).finish();
}

/** Reads a device's answer; a malformed body is a ProtocolError saying what and where. */
export function decodeDeviceMessage(body: Buffer): DeviceMessage {
  const r = openBody(body);
  const type = r.u8('type');
  const version = r.u8('version');
  if (version !== protocolVersion) throw new ProtocolError(`protocol version ${version}, not ${protocolVersion}`, 1);
  const id = r.u32('id');
  let message: DeviceMessage;
  if (type === messageType.response) {
    const statusAt = r.offset;
    const status = statusNames[r.u8('status')];
    if (status === undefined) throw new ProtocolError(`unknown status ${body[statusAt]}`, statusAt);
    const code = r.i32('code');
    const queuedTicks = r.u32('queued_ticks');
    const runTicks = r.u32('run_ticks');
    const latencyTicks = r.u32('latency_ticks');
    const payload = r.raw(r.u16('payload_len'), 'payload');
    message = { kind: 'response', id, status, code, queuedTicks, runTicks, latencyTicks, payload } satisfies ResponseMessage;
  } else if (type === messageType.infoReply) {
    const counterHz = r.u32('counter_hz');
    const policyAt = r.offset;
    const policy = policies[r.u8('policy')];
    if (policy === undefined) throw new ProtocolError(`unknown policy ${body[policyAt]}`, policyAt);
    const utilisation = r.u16('utilisation') / 1000;
    const queue = r.u16('queue slots');
    const routes: RouteInfo[] = [];
    for (let n = r.u8('route_count'); n > 0; n--) {
      const route = r.name('route name');
      const expectedUs = r.u32('expected_us');
      const deadlineUs = r.u32('deadline_us');
      const budgetUs = r.u32('budget_us');
      const maxRequest = r.u16('max_request');
      const maxResponse = r.u16('max_response');
      const instanceAt = r.offset;
      const instance = instanceKinds[r.u8('instance')];
      if (instance === undefined) throw new ProtocolError(`unknown instance kind ${body[instanceAt]}`, instanceAt);
      routes.push({ route, expectedUs, deadlineUs, budgetUs, maxRequest, maxResponse, instance });
    }
    message = { kind: 'info', id, counterHz, policy, utilisation, queue, routes } satisfies InfoMessage;
  } else if (type === messageType.statsReply) {
    const uptimeTicks = r.u32('uptime_ticks');
    const badFrames = r.u32('bad_frames');
    const queueFull = r.u32('queue_full');
    const routes: RouteStats[] = [];
    for (let n = r.u8('route_count'); n > 0; n--) {
      const route = r.name('route name');
      const served = r.u32('served');
      const rejected = r.u32('rejected');
      const missed = r.u32('missed');
      const failed = r.u32('failed');
      const budget = r.u32('budget');
      const restores = r.u32('restores');
      const restoreTicks = r.u32('restore_ticks');
      const latency: number[] = [];
      for (let b = r.u8('bucket_count'); b > 0; b--) latency.push(r.u32('latency bucket'));
      routes.push({ route, served, rejected, missed, failed, budget, restores, restoreTicks, latency });
    }
    message = { kind: 'stats', id, uptimeTicks, badFrames, queueFull, routes } satisfies StatsMessage;
  } else {
    throw new ProtocolError(`type 0x${type.toString(16).padStart(2, '0')} is no device message`, 0);
  }
  r.done();
  return message;
}
