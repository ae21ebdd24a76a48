import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { decodeHostMessage, encodeInfo, encodeResponse, encodeStats } from './device-side.js';
import { histogramBuckets, histogramFirstLog2 } from './limits.js';
import { frame, FrameSplitter } from './protocol.js';
import type { Policy, ResponseMessage, RouteInfo, RouteStats, Status } from './protocol.js';

/**
 * A TEST DOUBLE of a serverless device: a TCP server that speaks the device's half of the
 * protocol in TypeScript, so the gateway, invoke and the bench can be tested without QEMU. It
 * schedules nothing and measures nothing: ticks are whatever a route's behaviour says. The real
 * device is the firmware's C runtime on QEMU or a board.
 */
export type FakeBehaviour =
  /** Answers OK with the request's payload (after delayMs of wall time), with these ticks. */
  | { kind: 'echo'; delayMs?: number; runTicks?: number; queuedTicks?: number }
  /** Answers with this status and code and no payload. */
  | { kind: 'status'; status: Status; code: number; delayMs?: number }
  /** Never answers requests of the route (INFO and STATS still are). */
  | { kind: 'silent' }
  /** Closes the connection when a request of the route arrives, as a device that resets. */
  | { kind: 'reset' };

export interface FakeRoute extends RouteInfo {
  behaviour: FakeBehaviour;
}

export interface FakeDeviceOptions {
  routes: FakeRoute[];
  counterHz?: number;
  policy?: Policy;
  utilisation?: number;
  queue?: number;
}

export interface FakeRequestSeen {
  route: string;
  deadlineUs: number;
  payload: Buffer;
}

const fakeRoute = (route: string, behaviour: FakeBehaviour, more: Partial<RouteInfo> = {}): FakeRoute => ({
  route, expectedUs: 100, deadlineUs: 1000, budgetUs: 0, maxRequest: 256, maxResponse: 256, instance: 'fresh', behaviour, ...more,
});
export { fakeRoute };

export class FakeDevice {
  readonly requests: FakeRequestSeen[] = [];
  private readonly stats = new Map<string, RouteStats>();
  private readonly sockets = new Set<Socket>();
  private badFrames = 0;
  /** While true the device answers nothing at all, INFO included: a hung device. */
  hung = false;
  private constructor(private readonly server: Server, readonly options: FakeDeviceOptions, private readonly started = Date.now()) {}

  static async start(options: FakeDeviceOptions): Promise<FakeDevice> {
    const server = createServer();
    const device = new FakeDevice(server, options);
    for (const r of options.routes) device.stats.set(r.route, { route: r.route, served: 0, rejected: 0, missed: 0, failed: 0, budget: 0, restores: 0, restoreTicks: 0, latency: new Array<number>(histogramBuckets).fill(0) });
    server.on('connection', (socket) => device.serve(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return device;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get address(): string {
    return `tcp:127.0.0.1:${this.port}`;
  }

  /** Changes what a route does from now on. */
  behave(route: string, behaviour: FakeBehaviour): void {
    const r = this.options.routes.find((x) => x.route === route);
    if (!r) throw new Error(`the fake device has no route '${route}'`);
    r.behaviour = behaviour;
  }

  /** Closes every connection now (a device reset), leaving the server listening. */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const splitter = new FrameSplitter();
    socket.on('data', (chunk: Buffer) => {
      for (const body of splitter.push(chunk)) this.answer(socket, body);
    });
  }

  private answer(socket: Socket, body: Buffer): void {
    if (this.hung) return;
    const send = (b: Buffer): void => {
      if (!socket.destroyed) socket.write(frame(b));
    };
    const reply = (r: Partial<ResponseMessage> & { id: number; status: Status }, delayMs = 0) => {
      const body = encodeResponse({ code: 0, queuedTicks: 0, runTicks: 0, latencyTicks: 0, payload: Buffer.alloc(0), ...r });
      if (delayMs > 0) setTimeout(() => !this.hung && send(body), delayMs);
      else send(body);
    };
    let message;
    try {
      message = decodeHostMessage(body);
    } catch {
      this.badFrames++;
      // As the device: a frame that does not check out is answered with id 0 (its id may be another's).
      return reply({ id: 0, status: 'BAD_FRAME', code: 2 });
    }
    const { id } = message;
    const counterHz = this.options.counterHz ?? 25_000_000;
    if (message.kind === 'info') {
      return send(encodeInfo({ id, counterHz, policy: this.options.policy ?? 'edf', utilisation: this.options.utilisation ?? 0.8, queue: this.options.queue ?? 16, routes: this.options.routes.map(({ behaviour: _b, ...info }) => info) }));
    }
    if (message.kind === 'stats') {
      const uptimeTicks = Math.round(((Date.now() - this.started) * counterHz) / 1000) >>> 0;
      return send(encodeStats({ id, uptimeTicks, badFrames: this.badFrames, queueFull: 0, routes: [...this.stats.values()] }));
    }
    this.requests.push({ route: message.route, deadlineUs: message.deadlineUs, payload: message.payload });
    const route = this.options.routes.find((r) => r.route === message.route);
    if (!route) return reply({ id, status: 'UNKNOWN_ROUTE' });
    if (message.deadlineUs === 0) return reply({ id, status: 'BAD_DEADLINE' });
    if (message.payload.length > route.maxRequest) return reply({ id, status: 'TOO_LARGE', code: route.maxRequest });
    const stats = this.stats.get(route.route)!;
    const b = route.behaviour;
    if (b.kind === 'silent') return;
    if (b.kind === 'reset') return void socket.destroy();
    if (b.kind === 'status') {
      if (b.status === 'REJECTED') stats.rejected++;
      else stats.failed++;
      return reply({ id, status: b.status, code: b.code }, b.delayMs);
    }
    const queuedTicks = b.queuedTicks ?? 0;
    const runTicks = b.runTicks ?? 1000;
    const latencyTicks = queuedTicks + runTicks;
    stats.served++;
    const bucket = Math.min(histogramBuckets - 1, Math.max(0, Math.floor(Math.log2(Math.max(1, latencyTicks))) - histogramFirstLog2));
    stats.latency[bucket]!++;
    reply({ id, status: 'OK', code: message.payload.length, queuedTicks, runTicks, latencyTicks, payload: message.payload.subarray(0, route.maxResponse) }, b.delayMs);
  }
}
