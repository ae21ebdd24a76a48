import type { Outcome } from './device.js';
import type { DevicePool } from './pool.js';
import type { Status } from './protocol.js';

/**
 * One request through the pool, and its answer in the gateway's terms: an HTTP status and the
 * X-Bento-* facts. HTTP and MQTT both answer from this. The statuses the gateway adds to the
 * device's: TIMEOUT (no answer in time), DEVICE_DOWN (it went down with the request in
 * flight), NO_DEVICE (none up serves the route), BUSY (every device that serves it has as many
 * requests in flight as its queue slots: the gateway refuses rather than let frames wait in the
 * link); UNKNOWN_ROUTE and TOO_LARGE it also gives
 * itself, without a device, when no device knows the route or the payload is over its
 * max_request.
 */
export type GatewayStatus = Status | 'TIMEOUT' | 'DEVICE_DOWN' | 'NO_DEVICE' | 'BUSY';

export interface Reply {
  status: GatewayStatus;
  httpStatus: number;
  code: number;
  /** The device that answered ('' when none did). */
  device: string;
  queuedTicks?: number;
  runTicks?: number;
  latencyTicks?: number;
  /** Wall time from sending to the answer, in ms (0 when no device was asked). */
  wallMs: number;
  /** The function's response (OK, and DEADLINE_MISSED when it ran). */
  payload: Buffer;
  /** Only when the gateway answered itself. */
  message?: string;
}

export const httpStatusOf: Record<GatewayStatus, number> = {
  OK: 200,
  REJECTED: 503,
  DEADLINE_MISSED: 504,
  FUNCTION_ERROR: 502,
  BUDGET_EXCEEDED: 502,
  BAD_FRAME: 502,
  UNKNOWN_ROUTE: 404,
  TOO_LARGE: 413,
  BAD_DEADLINE: 400,
  QUEUE_FULL: 503,
  BAD_TYPE: 502,
  TIMEOUT: 504,
  DEVICE_DOWN: 504,
  NO_DEVICE: 503,
  BUSY: 503,
};

/** The X-Bento-Status spelling of a status: lower case, hyphens (BUDGET_EXCEEDED -> budget-exceeded). */
export const statusWord = (s: GatewayStatus) => s.toLowerCase().replace(/_/g, '-');

const gatewayReply = (status: GatewayStatus, code: number, message: string): Reply => ({ status, httpStatus: httpStatusOf[status], code, device: '', wallMs: 0, payload: Buffer.alloc(0), message });

export function replyOf(device: string, outcome: Outcome): Reply {
  if (outcome.kind === 'timeout') return { ...gatewayReply('TIMEOUT', 0, 'the device did not answer in time'), device, wallMs: outcome.wallMs };
  if (outcome.kind === 'down') return { ...gatewayReply('DEVICE_DOWN', 0, `the device went down: ${outcome.reason}`), device, wallMs: outcome.wallMs };
  const r = outcome.response;
  return { status: r.status, httpStatus: httpStatusOf[r.status], code: r.code, device, queuedTicks: r.queuedTicks, runTicks: r.runTicks, latencyTicks: r.latencyTicks, wallMs: outcome.wallMs, payload: r.payload };
}

/** Checks that the gateway can make before a device is asked: the route, the size, a device up. */
export function precheck(pool: DevicePool, route: string, size: number): Reply | undefined {
  const info = pool.route(route);
  if (!info && !pool.allDescribed) return gatewayReply('NO_DEVICE', 0, `no device that serves '${route}' is up (some have not been up yet to say what they serve)`);
  if (!info) return gatewayReply('UNKNOWN_ROUTE', 0, `no device serves a route '${route}'`);
  if (size > info.maxRequest) return gatewayReply('TOO_LARGE', info.maxRequest, `the request is ${size} bytes; route '${route}' takes at most ${info.maxRequest}`);
  return undefined;
}

export async function dispatch(pool: DevicePool, route: string, payload: Buffer, deadlineUs: number | undefined): Promise<Reply> {
  const refused = precheck(pool, route, payload.length);
  if (refused) return refused;
  const member = pool.pick(route);
  if (!member) return gatewayReply('NO_DEVICE', 0, `no device that serves '${route}' is up`);
  if (member === 'busy') return gatewayReply('BUSY', 0, `every device that serves '${route}' has as many requests in flight as it can queue`);
  return replyOf(member.source.name, await member.connection!.request(route, payload, deadlineUs));
}
