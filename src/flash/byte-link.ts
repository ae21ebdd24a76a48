import { createConnection } from 'node:net';
import type { Socket } from 'node:net';
import { SerialPort } from 'serialport';
import { BentoError } from '../diagnostics/error.js';
import { hangupAwareBinding } from './hangup-binding.js';

/** A byte stream to a device: a serial port, or a TCP socket (a serial server or a test proxy). */
export interface ByteLink {
  readonly name: string;
  write(data: Uint8Array): Promise<void>;
  /** Exactly `n` bytes, or a timeout error after `timeoutMs` without them. */
  read(n: number, timeoutMs: number): Promise<Buffer>;
  /** Whatever has arrived (waiting up to `timeoutMs` for something); empty on a timeout. */
  readSome(timeoutMs: number): Promise<Buffer>;
  /** Drops whatever arrived and was not read yet. */
  discard(): void;
  /** Sets the modem control lines (serial ports only; a pty or a socket has none). */
  setLines(lines: { dtr?: boolean; rts?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export class LinkTimeout extends Error {
  constructor(readonly wanted: number, readonly got: number) {
    super(`timed out waiting for ${wanted} byte(s), got ${got}`);
  }
}

/** Buffers incoming bytes and hands them to read() calls in order. */
export class Inbox {
  private chunks: Buffer = Buffer.alloc(0);
  private waiter?: () => void;
  closed?: Error;

  push(data: Buffer): void {
    this.chunks = Buffer.concat([this.chunks, data]);
    this.waiter?.();
  }

  fail(err: Error): void {
    this.closed = err;
    this.waiter?.();
  }

  async read(n: number, timeoutMs: number): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.chunks.length < n) {
      if (this.closed) throw this.closed;
      const left = deadline - Date.now();
      if (left <= 0) throw new LinkTimeout(n, this.chunks.length);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    const out = this.chunks.subarray(0, n);
    this.chunks = this.chunks.subarray(n);
    return Buffer.from(out);
  }

  async readSome(timeoutMs: number): Promise<Buffer> {
    if (this.chunks.length === 0) {
      try {
        await this.read(1, timeoutMs).then((b) => (this.chunks = Buffer.concat([b, this.chunks])));
      } catch (err) {
        if (err instanceof LinkTimeout) return Buffer.alloc(0);
        throw err;
      }
    }
    const out = this.chunks;
    this.chunks = Buffer.alloc(0);
    return out;
  }

  discard(): void {
    this.chunks = Buffer.alloc(0);
  }
}

export interface SerialSettings {
  baud: number;
  parity: 'none' | 'even';
}

/** Opens `port`: `tcp://host:port` or a serial device path. Errors name the port and why. */
export async function openLink(port: string, settings: SerialSettings): Promise<ByteLink> {
  const tcp = /^tcp:\/\/([^:/]+):(\d+)$/.exec(port);
  return tcp ? openTcp(port, tcp[1]!, Number(tcp[2])) : openSerial(port, settings);
}

async function openSerial(path: string, settings: SerialSettings): Promise<ByteLink> {
  const inbox = new Inbox();
  // bento's binding, so that a port whose other side hung up closes instead of spinning.
  const options = { path, baudRate: settings.baud, parity: settings.parity, dataBits: 8 as const, stopBits: 1 as const, autoOpen: false, lock: true, binding: hangupAwareBinding };
  const serial = new SerialPort(options as ConstructorParameters<typeof SerialPort>[0]);
  await new Promise<void>((resolve, reject) =>
    serial.open((err) => {
      if (!err) return resolve();
      const busy = /lock|busy|Resource temporarily unavailable/i.test(err.message);
      const missing = /ENOENT|No such file/i.test(err.message);
      reject(
        new BentoError({
          code: 'B6004',
          message: `cannot open serial port ${path}: ${missing ? 'it does not exist' : busy ? 'it is busy (another program has it open)' : err.message}`,
          hint: missing ? 'check the device name (ls /dev/tty*), or that the board is plugged in' : busy ? 'close the other program (a monitor gives the port up during `bento flash`)' : undefined,
        }),
      );
    }),
  );
  serial.on('data', (d: Buffer) => inbox.push(d));
  serial.on('error', (err) => inbox.fail(new BentoError({ code: 'B6005', message: `serial port ${path}: ${err.message}` })));
  serial.on('close', () => inbox.fail(new BentoError({ code: 'B6005', message: `serial port ${path} closed` })));
  return {
    name: path,
    write: (data) => new Promise((resolve, reject) => serial.write(Buffer.from(data), (err) => (err ? reject(err) : serial.drain((e) => (e ? reject(e) : resolve()))))),
    read: (n, t) => inbox.read(n, t),
    readSome: (t) => inbox.readSome(t),
    discard: () => inbox.discard(),
    setLines: (lines) =>
      new Promise((resolve, reject) =>
        serial.set(lines, (err) => (err ? reject(new BentoError({ code: 'B6005', message: `cannot set ${Object.keys(lines).join('/').toUpperCase()} on ${path}: ${err.message}`, hint: 'a pty has no control lines: set serial.reset and serial.boot to "none" in the board file' })) : resolve())),
      ),
    close: () => new Promise((resolve) => (serial.isOpen ? serial.close(() => resolve()) : resolve())),
  };
}

async function openTcp(name: string, host: string, port: number): Promise<ByteLink> {
  const inbox = new Inbox();
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = createConnection({ host, port }, () => resolve(s));
    s.once('error', (err) => reject(new BentoError({ code: 'B6004', message: `cannot connect to ${name}: ${err.message}` })));
  });
  socket.setNoDelay(true);
  socket.on('data', (d: Buffer) => inbox.push(d));
  socket.on('error', (err) => inbox.fail(new BentoError({ code: 'B6005', message: `${name}: ${err.message}` })));
  socket.on('close', () => inbox.fail(new BentoError({ code: 'B6005', message: `${name} closed the connection` })));
  return {
    name,
    write: (data) => new Promise((resolve, reject) => socket.write(Buffer.from(data), (err) => (err ? reject(err) : resolve()))),
    read: (n, t) => inbox.read(n, t),
    readSome: (t) => inbox.readSome(t),
    discard: () => inbox.discard(),
    setLines: async () => {
      throw new BentoError({ code: 'B6005', message: `${name} is a socket: it has no control lines`, hint: 'set serial.reset and serial.boot to "none" in the board file' });
    },
    close: async () => {
      socket.destroy();
    },
  };
}
