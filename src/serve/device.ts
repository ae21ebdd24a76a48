import { routeDeadline } from './limits.js';
import { decodeDeviceMessage, encodeInfoRequest, encodeRequest, encodeStatsRequest, frame, FrameSplitter, ProtocolError } from './protocol.js';
import type { DeviceMessage, InfoMessage, ResponseMessage, StatsMessage } from './protocol.js';
import type { ByteStream, StreamOpener } from './link.js';

/** What became of one request: the device's answer, no answer in time, or the device went down. */
export type Outcome =
  | { kind: 'response'; response: ResponseMessage; wallMs: number }
  | { kind: 'timeout'; wallMs: number }
  | { kind: 'down'; reason: string; wallMs: number };

export interface DeviceConnectionOptions {
  /** How long a request may go unanswered before its caller is told 'timeout' (default 5 s). */
  requestTimeoutMs?: number;
  /** How long an INFO may go unanswered before the device counts as down (default 2 s). */
  livenessMs?: number;
  /** How long open() keeps asking INFO before giving up (default: one INFO, livenessMs): a booting device may miss the first. */
  openTimeoutMs?: number;
  /** An INFO every this many ms while nothing else is asked (default: none). */
  heartbeatMs?: number;
  /** Told once when the device goes down, with why. */
  onDown?: (reason: string) => void;
  /** Told about oddities that are not one request's (a malformed frame, a late answer). */
  onNote?: (message: string) => void;
}

interface Pending {
  expect: DeviceMessage['kind'];
  settle: (m: DeviceMessage | { kind: 'timeout' } | { kind: 'down'; reason: string }) => void;
  timer: NodeJS.Timeout;
}

/**
 * One connection to one device: frames out, answers matched to requests by id (u32, never 0,
 * unique among those in flight), a timeout on each, and liveness. The device counts as down
 * when its link closes or an INFO goes unanswered; every request still waiting then gets 'down',
 * so no caller hangs. A request that times out makes the connection ping the device with INFO.
 */
export class DeviceConnection {
  info!: InfoMessage;
  down?: string;
  /** Frames that could not be read, and answers nobody waited for (late, or id 0). */
  readonly oddities = { malformed: 0, unmatched: 0 };
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stream?: ByteStream;
  private pinging = false;
  private heartbeat?: NodeJS.Timeout;
  private readonly splitter = new FrameSplitter();
  private readonly requestTimeoutMs: number;
  private readonly livenessMs: number;

  private constructor(readonly name: string, private readonly options: DeviceConnectionOptions) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5000;
    this.livenessMs = options.livenessMs ?? 2000;
  }

  /** Opens the link and learns the device's routes with INFO; throws when that fails. */
  static async open(name: string, open: StreamOpener, options: DeviceConnectionOptions = {}): Promise<DeviceConnection> {
    const device = new DeviceConnection(name, options);
    device.stream = await open({ onData: (chunk) => device.receive(chunk), onClose: (reason) => device.markDown(reason) });
    const giveUpAt = Date.now() + (options.openTimeoutMs ?? 0);
    let info = await device.ask('info', encodeInfoRequest, device.livenessMs);
    while (info.kind === 'timeout' && Date.now() < giveUpAt) info = await device.ask('info', encodeInfoRequest, device.livenessMs);
    if (info.kind !== 'info') {
      device.close();
      throw new Error(info.kind === 'timeout' ? `${name}: no answer to INFO within ${device.livenessMs} ms` : `${name}: ${'reason' in info ? info.reason : info.kind}`);
    }
    device.info = info;
    if (options.heartbeatMs) device.heartbeat = setInterval(() => device.pending.size === 0 && void device.ping(), options.heartbeatMs);
    return device;
  }

  get up(): boolean {
    return this.down === undefined;
  }

  /** Whether a liveness INFO is out and unanswered. */
  get checking(): boolean {
    return this.pinging;
  }

  /** Requests sent and not answered yet (INFO and STATS not counted). */
  get outstanding(): number {
    let n = 0;
    for (const p of this.pending.values()) if (p.expect === 'response') n++;
    return n;
  }

  /** Sends one request; `deadlineUs` undefined means the route's own deadline. */
  async request(route: string, payload: Uint8Array, deadlineUs?: number, timeoutMs = this.requestTimeoutMs): Promise<Outcome> {
    const started = performance.now();
    const m = await this.ask('response', (id) => encodeRequest(id, route, payload, deadlineUs ?? routeDeadline), timeoutMs);
    const wallMs = performance.now() - started;
    if (m.kind === 'timeout') {
      // Every frame gets an answer: none in time means the device may be gone. Find out.
      void this.ping();
      return { kind: 'timeout', wallMs };
    }
    if (m.kind === 'down') return { kind: 'down', reason: m.reason, wallMs };
    return { kind: 'response', response: m as ResponseMessage, wallMs };
  }

  async stats(timeoutMs = this.livenessMs): Promise<StatsMessage> {
    const m = await this.ask('stats', encodeStatsRequest, timeoutMs);
    if (m.kind === 'stats') return m;
    throw new Error(m.kind === 'timeout' ? `${this.name}: no answer to STATS within ${timeoutMs} ms` : `${this.name}: ${'reason' in m ? m.reason : m.kind}`);
  }

  /** INFO as a liveness check: the device is marked down when it goes unanswered. */
  async ping(): Promise<boolean> {
    if (this.pinging || !this.up) return this.up;
    this.pinging = true;
    const m = await this.ask('info', encodeInfoRequest, this.livenessMs);
    this.pinging = false;
    if (m.kind === 'info') this.info = m;
    else if (m.kind === 'timeout') this.markDown(`no answer to INFO within ${this.livenessMs} ms`);
    return this.up;
  }

  /** Ends the connection; requests still waiting get 'down' with this reason. */
  close(reason = 'closed'): void {
    this.markDown(reason);
  }

  private ask(expect: DeviceMessage['kind'], encode: (id: number) => Buffer, timeoutMs: number) {
    type Answer = DeviceMessage | { kind: 'timeout' } | { kind: 'down'; reason: string };
    if (!this.up) return Promise.resolve<Answer>({ kind: 'down', reason: this.down! });
    const id = this.takeId();
    return new Promise<Answer>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ kind: 'timeout' });
      }, timeoutMs);
      this.pending.set(id, { expect, settle: resolve, timer });
      this.stream!.write(frame(encode(id)));
    });
  }

  private takeId(): number {
    do {
      const id = this.nextId;
      this.nextId = this.nextId >= 0xffff_ffff ? 1 : this.nextId + 1;
      if (!this.pending.has(id)) return id;
    } while (this.pending.size < 0xffff_fffe);
    throw new Error('no request id left');
  }

  private receive(chunk: Buffer): void {
    for (const body of this.splitter.push(chunk)) {
      let message: DeviceMessage;
      try {
        message = decodeDeviceMessage(body);
      } catch (err) {
        if (!(err instanceof ProtocolError)) throw err;
        this.oddities.malformed++;
        this.options.onNote?.(`${this.name}: a malformed frame from the device: ${err.message}`);
        continue;
      }
      const waiting = this.pending.get(message.id);
      if (!waiting || waiting.expect !== message.kind) {
        this.oddities.unmatched++;
        const what = message.kind === 'response' ? `${message.status} (code ${message.code})` : message.kind.toUpperCase();
        this.options.onNote?.(`${this.name}: an answer nobody waits for: id ${message.id}, ${what}`);
        continue;
      }
      this.pending.delete(message.id);
      clearTimeout(waiting.timer);
      waiting.settle(message);
    }
  }

  private markDown(reason: string): void {
    if (this.down !== undefined) return;
    this.down = reason;
    clearInterval(this.heartbeat);
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.settle({ kind: 'down', reason });
    }
    this.stream?.close();
    this.options.onDown?.(reason);
  }
}
