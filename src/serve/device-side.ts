import { BodyWriter, openBody, ProtocolError } from './body.js';
import { protocolVersion } from './limits.js';
import { instanceKinds, messageType, policies, statusNames } from './messages.js';
import type { HostMessage, InfoMessage, ResponseMessage, StatsMessage } from './messages.js';

/**
 * The device's half of the protocol in TypeScript: reading what a host sends and writing the
 * answers. The firmware's C runtime is the real one; this half serves the fake device of the
 * tests and checks the host half in round trips.
 */
export function decodeHostMessage(body: Buffer): HostMessage {
  const r = openBody(body);
  const type = r.u8('type');
  const version = r.u8('version');
  if (version !== protocolVersion) throw new ProtocolError(`protocol version ${version}, not ${protocolVersion}`, 1);
  const id = r.u32('id');
  if (type === messageType.request) {
    const deadlineUs = r.u32('deadline_us');
    const routeAt = r.offset;
    const route = r.name('route');
    if (route.length < 1 || route.length > 31) throw new ProtocolError(`a route name of ${route.length} bytes`, routeAt);
    const payload = r.raw(r.u16('payload_len'), 'payload');
    r.done();
    return { kind: 'request', id, deadlineUs, route, payload };
  }
  if (type !== messageType.info && type !== messageType.stats) throw new ProtocolError(`type 0x${type.toString(16).padStart(2, '0')} is no host message`, 0);
  r.done();
  return { kind: type === messageType.info ? 'info' : 'stats', id };
}

export function encodeResponse(m: Omit<ResponseMessage, 'kind'>): Buffer {
  return new BodyWriter()
    .u8(messageType.response)
    .u8(protocolVersion)
    .u32(m.id)
    .u8(statusNames.indexOf(m.status))
    .i32(m.code)
    .u32(m.queuedTicks)
    .u32(m.runTicks)
    .u32(m.latencyTicks)
    .u16(m.payload.length)
    .raw(m.payload)
    .finish();
}

export function encodeInfo(m: Omit<InfoMessage, 'kind'>): Buffer {
  const w = new BodyWriter().u8(messageType.infoReply).u8(protocolVersion).u32(m.id).u32(m.counterHz).u8(policies.indexOf(m.policy)).u16(Math.round(m.utilisation * 1000)).u16(m.queue).u8(m.routes.length);
  for (const route of m.routes) {
    w.name(route.route).u32(route.expectedUs).u32(route.deadlineUs).u32(route.budgetUs).u16(route.maxRequest).u16(route.maxResponse).u8(instanceKinds.indexOf(route.instance));
  }
  return w.finish();
}

export function encodeStats(m: Omit<StatsMessage, 'kind'>): Buffer {
  const w = new BodyWriter().u8(messageType.statsReply).u8(protocolVersion).u32(m.id).u32(m.uptimeTicks).u32(m.badFrames).u32(m.queueFull).u8(m.routes.length);
  for (const r of m.routes) {
    w.name(r.route).u32(r.served).u32(r.rejected).u32(r.missed).u32(r.failed).u32(r.budget).u32(r.restores).u32(r.restoreTicks).u8(r.latency.length);
    for (const count of r.latency) w.u32(count);
  }
  return w.finish();
}
