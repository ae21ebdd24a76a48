import type { DeviceConnection, DeviceConnectionOptions } from './device.js';
import type { RouteInfo } from './protocol.js';
import type { DeviceSource } from './sources.js';

export type MemberState = 'starting' | 'up' | 'down';

export interface PoolMember {
  readonly source: DeviceSource;
  connection?: DeviceConnection;
  state: MemberState;
  /** Why it is down, or was last. */
  reason?: string;
  /** Emulators started again after the first. */
  restarts: number;
  /** Links opened again after they went down. */
  reconnects: number;
}

export interface PoolOptions {
  connection?: DeviceConnectionOptions;
  /**
   * Requests in flight a device may have at most (default: its queue slots, from INFO). Frames
   * beyond what the device can hold would only wait in the link, at UART speed, into timeouts.
   */
  maxInFlight?: number;
  /** The first wait before a device that went down is tried again; it doubles up to 10 s (default 500 ms). */
  retryMs?: number;
  /** Told of every state change. */
  onState?: (member: PoolMember, state: MemberState, reason?: string) => void;
}

/**
 * The devices a gateway serves with, each kept connected: one that goes down is started again
 * (an emulator: killed and restarted) or reconnected when it answers INFO again (a link), with
 * a growing pause between attempts. Requests go to the device with fewest in flight.
 */
export class DevicePool {
  readonly members: PoolMember[];
  private closed = false;
  private turn = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(sources: readonly DeviceSource[], private readonly options: PoolOptions = {}) {
    this.members = sources.map((source) => ({ source, state: 'starting', restarts: 0, reconnects: 0 }));
  }

  /** Connects every device once (in parallel); those that fail keep being retried. */
  async start(): Promise<void> {
    await Promise.all(this.members.map((m) => this.connect(m, 0)));
  }

  /** The route as some device described it (up or not), to answer 404 and 413 without one. */
  route(name: string): RouteInfo | undefined {
    for (const m of this.members) {
      const r = m.connection?.info?.routes.find((x) => x.route === name);
      if (r) return r;
    }
    return undefined;
  }

  /** Whether every device has described its routes at least once (else a route unknown so far may yet be served). */
  get allDescribed(): boolean {
    return this.members.every((m) => m.connection?.info !== undefined);
  }

  /**
   * The up device serving `route` with fewest requests in flight (ties go round); 'busy' when
   * every such device has as many in flight as it may; undefined when none is up.
   */
  pick(route: string): PoolMember | 'busy' | undefined {
    const serving = this.members.filter((m) => m.state === 'up' && m.connection!.info.routes.some((r) => r.route === route));
    if (serving.length === 0) return undefined;
    const up = serving.filter((m) => m.connection!.outstanding < (this.options.maxInFlight ?? m.connection!.info.queue));
    if (up.length === 0) return 'busy';
    this.turn = (this.turn + 1) % up.length;
    let best: PoolMember | undefined;
    for (let k = 0; k < up.length; k++) {
      const m = up[(this.turn + k) % up.length]!;
      if (!best || m.connection!.outstanding < best.connection!.outstanding) best = m;
    }
    return best;
  }

  /** Every device's state, for GET /_bento/devices. */
  describe() {
    return this.members.map((m) => ({
      name: m.source.name,
      where: m.source.where,
      state: m.state,
      ...(m.reason ? { reason: m.reason } : {}),
      outstanding: m.connection?.outstanding ?? 0,
      restarts: m.restarts,
      reconnects: m.reconnects,
      routes: m.connection?.info?.routes.map((r) => r.route) ?? [],
      ...(m.connection?.info ? { policy: m.connection.info.policy, counterHz: m.connection.info.counterHz } : {}),
    }));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    for (const m of this.members) m.connection?.close('the gateway stopped');
    await Promise.all(this.members.map((m) => m.source.stop()));
  }

  private setState(m: PoolMember, state: MemberState, reason?: string): void {
    m.state = state;
    if (reason !== undefined) m.reason = reason;
    this.options.onState?.(m, state, reason);
  }

  private async connect(m: PoolMember, attempt: number): Promise<void> {
    if (this.closed) return;
    try {
      // A connection that goes down before open() returns is seen below, by its `up`.
      let made: DeviceConnection | undefined;
      const connection = await m.source.connect({ ...this.options.connection, onDown: (reason) => made && this.lost(m, made, reason) });
      made = connection;
      if (this.closed) return connection.close('the gateway stopped');
      m.connection = connection;
      // It may have gone down between its INFO and here.
      if (connection.up) this.setState(m, 'up');
      else this.lost(m, connection, connection.down!);
    } catch (err) {
      if (this.closed) return;
      if (m.state !== 'down') this.setState(m, 'down', (err as Error).message);
      this.retry(m, attempt + 1);
    }
  }

  private lost(m: PoolMember, connection: DeviceConnection, reason: string): void {
    if (this.closed || m.connection !== connection || m.state === 'down') return;
    this.setState(m, 'down', reason);
    this.retry(m, 0);
  }

  private retry(m: PoolMember, attempt: number): void {
    const wait = Math.min(10_000, (this.options.retryMs ?? 500) * 2 ** attempt);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (m.source.restarts) m.restarts++;
      else m.reconnects++;
      void this.connect(m, attempt);
    }, wait);
    this.timers.add(timer);
  }
}
