/** The messages of docs/serverless-protocol.md as typed values, both directions. */

export const messageType = { request: 0x01, info: 0x02, stats: 0x03, response: 0x81, infoReply: 0x82, statsReply: 0x83 } as const;

/** RESPONSE status bytes, in order (status 3 is statusNames[3]). */
export const statusNames = ['OK', 'REJECTED', 'DEADLINE_MISSED', 'FUNCTION_ERROR', 'BUDGET_EXCEEDED', 'BAD_FRAME', 'UNKNOWN_ROUTE', 'TOO_LARGE', 'BAD_DEADLINE', 'QUEUE_FULL', 'BAD_TYPE'] as const;
export type Status = (typeof statusNames)[number];

export const policies = ['edf', 'fifo'] as const;
export type Policy = (typeof policies)[number];
export const instanceKinds = ['fresh', 'warm'] as const;
export type InstanceKind = (typeof instanceKinds)[number];

export interface RequestMessage {
  kind: 'request';
  id: number;
  /** Microseconds from receipt; routeDeadline (0xFFFFFFFF) for the route's own. */
  deadlineUs: number;
  route: string;
  payload: Buffer;
}

export interface InfoRequest {
  kind: 'info';
  id: number;
}

export interface StatsRequest {
  kind: 'stats';
  id: number;
}

export type HostMessage = RequestMessage | InfoRequest | StatsRequest;

export interface ResponseMessage {
  kind: 'response';
  id: number;
  status: Status;
  code: number;
  queuedTicks: number;
  runTicks: number;
  latencyTicks: number;
  payload: Buffer;
}

export interface RouteInfo {
  route: string;
  expectedUs: number;
  deadlineUs: number;
  /** 0: no budget. */
  budgetUs: number;
  maxRequest: number;
  maxResponse: number;
  instance: InstanceKind;
}

export interface InfoMessage {
  kind: 'info';
  id: number;
  counterHz: number;
  policy: Policy;
  /** The admission bound, 0..1 (sent in thousandths). */
  utilisation: number;
  queue: number;
  routes: RouteInfo[];
}

export interface RouteStats {
  route: string;
  served: number;
  rejected: number;
  missed: number;
  failed: number;
  budget: number;
  /** A fresh instance put back from its snapshot: how often, and the counter ticks it took in all. */
  restores: number;
  restoreTicks: number;
  /** histogramBuckets counts: bucket i holds latencies with floor(log2(ticks)) == i + 8 (ends open). */
  latency: number[];
}

export interface StatsMessage {
  kind: 'stats';
  id: number;
  uptimeTicks: number;
  badFrames: number;
  queueFull: number;
  routes: RouteStats[];
}

export type DeviceMessage = ResponseMessage | InfoMessage | StatsMessage;
