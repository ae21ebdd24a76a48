import { createConnection } from 'node:net';
import type { Socket } from 'node:net';
import { connackReasons, connectPacket, disconnectPacket, PacketReader, pingreqPacket, pubackPacket, publishPacket, subscribePacket } from './packets.js';
import type { Packet, Qos } from './packets.js';

export interface MqttClientOptions {
  /** mqtt://HOST[:PORT] (1883 by default). */
  url: string;
  clientId: string;
  /** Subscribed on every connection (the session is clean). */
  subscriptions: readonly { filter: string; qos: Qos }[];
  onMessage: (topic: string, payload: Buffer) => void;
  /** Connection news: connected, lost, retrying. */
  onNote?: (message: string) => void;
  keepaliveSeconds?: number;
  /** The first pause before reconnecting; it doubles up to 10 s (default 500 ms). */
  retryMs?: number;
}

export function parseMqttUrl(url: string): { host: string; port: number } | undefined {
  const m = /^mqtt:\/\/(\[[^\]]+\]|[^:/]+)(?::(\d{1,5}))?\/?$/.exec(url);
  if (!m) return undefined;
  return { host: m[1]!.replace(/^\[(.*)\]$/, '$1'), port: m[2] ? Number(m[2]) : 1883 };
}

interface Unacked {
  topic: string;
  payload: Buffer;
  done: () => void;
}

/**
 * A small MQTT 3.1.1 client over node:net: connect, subscribe, publish at QoS 0 and 1 (QoS 1
 * publishes are sent again with DUP after a reconnect until the broker acknowledges them),
 * PINGREQ keepalive (no PINGRESP within the keepalive: the connection is dropped), and
 * reconnection with a growing pause. Enough for a gateway; no QoS 2, no will, no auth.
 */
export class MqttClient {
  private socket?: Socket;
  private connected = false;
  private closing = false;
  private nextPacketId = 1;
  private readonly unacked = new Map<number, Unacked>();
  private queued: Buffer[] = [];
  private attempt = 0;
  private pingTimer?: NodeJS.Timeout;
  private awaitingPong = false;
  private retryTimer?: NodeJS.Timeout;
  private firstConnect?: { resolve: () => void };
  private readonly host: string;
  private readonly port: number;

  constructor(private readonly options: MqttClientOptions) {
    const at = parseMqttUrl(options.url);
    if (!at) throw new Error(`'${options.url}' is no mqtt://HOST[:PORT] URL`);
    this.host = at.host;
    this.port = at.port;
  }

  /** Connects, and resolves once the broker has accepted the connection and the subscriptions. Retries until then. */
  start(): Promise<void> {
    return new Promise((resolve) => {
      this.firstConnect = { resolve };
      this.open();
    });
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** QoS 0 resolves once written (or queued while disconnected); QoS 1 once the broker acknowledges it. */
  publish(topic: string, payload: Buffer, qos: Qos = 0): Promise<void> {
    if (qos === 0) {
      this.send(publishPacket(topic, payload, 0));
      return Promise.resolve();
    }
    return new Promise((done) => {
      const id = this.takePacketId();
      this.unacked.set(id, { topic, payload, done });
      if (this.connected) this.socket!.write(publishPacket(topic, payload, 1, id));
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      if (this.connected) socket.end(disconnectPacket());
      else socket.destroy();
      setTimeout(() => socket.destroy(), 1000).unref();
    });
  }

  private takePacketId(): number {
    do this.nextPacketId = this.nextPacketId >= 0xffff ? 1 : this.nextPacketId + 1;
    while (this.unacked.has(this.nextPacketId));
    return this.nextPacketId;
  }

  private send(data: Buffer): void {
    if (this.connected) this.socket!.write(data);
    else this.queued.push(data);
  }

  private open(): void {
    if (this.closing) return;
    const socket = createConnection({ host: this.host, port: this.port });
    this.socket = socket;
    const reader = new PacketReader();
    const keepalive = this.options.keepaliveSeconds ?? 30;
    socket.setNoDelay(true);
    socket.on('connect', () => socket.write(connectPacket(this.options.clientId, keepalive)));
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const p of reader.push(chunk)) this.receive(p, keepalive);
      } catch (err) {
        this.options.onNote?.(`MQTT: ${(err as Error).message}`);
        socket.destroy();
      }
    });
    // One note for a run of failed attempts, not one per attempt.
    socket.on('error', (err) => this.attempt === 0 && this.options.onNote?.(`MQTT ${this.options.url}: ${err.message}; retrying`));
    socket.on('close', () => this.lost());
  }

  private receive(p: Packet, keepalive: number): void {
    const socket = this.socket!;
    if (p.type === 'connack') {
      if (p.returnCode !== 0) {
        this.options.onNote?.(`MQTT ${this.options.url} refused the connection: ${connackReasons[p.returnCode] ?? `code ${p.returnCode}`}`);
        return void socket.destroy();
      }
      socket.write(subscribePacket(this.takePacketId(), this.options.subscriptions));
    } else if (p.type === 'suback') {
      if (p.granted.some((g) => g === 0x80)) this.options.onNote?.(`MQTT ${this.options.url} refused a subscription`);
      this.connected = true;
      this.attempt = 0;
      this.options.onNote?.(`MQTT: connected to ${this.options.url}`);
      for (const data of this.queued.splice(0)) socket.write(data);
      for (const [id, u] of this.unacked) socket.write(publishPacket(u.topic, u.payload, 1, id, true));
      this.pingTimer = setInterval(() => this.ping(), (keepalive * 1000) / 2);
      this.firstConnect?.resolve();
      this.firstConnect = undefined;
    } else if (p.type === 'publish') {
      if (p.qos === 1 && p.packetId !== undefined) socket.write(pubackPacket(p.packetId));
      this.options.onMessage(p.topic, p.payload);
    } else if (p.type === 'puback') {
      const u = this.unacked.get(p.packetId);
      this.unacked.delete(p.packetId);
      u?.done();
    } else if (p.type === 'pingresp') {
      this.awaitingPong = false;
    }
  }

  /** Every half keepalive; a PINGREQ still unanswered at the next one means the link is dead. */
  private ping(): void {
    if (this.awaitingPong) {
      this.options.onNote?.(`MQTT ${this.options.url}: no PINGRESP; reconnecting`);
      return void this.socket?.destroy();
    }
    this.awaitingPong = true;
    this.socket?.write(pingreqPacket());
  }

  private lost(): void {
    const was = this.connected;
    this.connected = false;
    this.awaitingPong = false;
    clearInterval(this.pingTimer);
    if (this.closing) return;
    const wait = Math.min(10_000, (this.options.retryMs ?? 500) * 2 ** this.attempt++);
    if (was) this.options.onNote?.(`MQTT: lost ${this.options.url}; reconnecting`);
    this.retryTimer = setTimeout(() => this.open(), wait);
  }
}
