import { createConnection } from 'node:net';
import { SerialPort } from 'serialport';

/**
 * An event-driven byte stream to a device: bytes are handed over as they arrive (a gateway has
 * many requests in flight and cannot sit in read(n) calls as flash's ByteLink does).
 */
export interface ByteStream {
  readonly name: string;
  write(data: Buffer): void;
  close(): void;
}

export interface StreamHandlers {
  onData(chunk: Buffer): void;
  /** Once, when the stream ends for any reason (the peer closed it, an error, close()). */
  onClose(reason: string): void;
}

export type StreamOpener = (handlers: StreamHandlers) => Promise<ByteStream>;

/** Where a device is: `tcp:HOST:PORT`, or a serial port's path. */
export type DeviceAddress = { kind: 'tcp'; host: string; port: number } | { kind: 'serial'; path: string; baud: number };

export function parseTcpAddress(text: string): DeviceAddress | undefined {
  const m = /^tcp:(.+):(\d{1,5})$/.exec(text);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) return undefined;
  return { kind: 'tcp', host: m[1]!.replace(/^\[(.*)\]$/, '$1'), port: Number(m[2]) };
}

export function describeAddress(a: DeviceAddress): string {
  return a.kind === 'tcp' ? `tcp:${a.host}:${a.port}` : a.path;
}

function closeOnce(handlers: StreamHandlers): (reason: string) => void {
  let closed = false;
  return (reason) => {
    if (closed) return;
    closed = true;
    handlers.onClose(reason);
  };
}

/**
 * A TCP connection; with `retryForMs`, refused connections are tried again for that long (QEMU
 * opens its listening socket a moment after it starts).
 */
export function connectTcp(host: string, port: number, handlers: StreamHandlers, retryForMs = 0): Promise<ByteStream> {
  const giveUpAt = Date.now() + retryForMs;
  const name = `tcp:${host}:${port}`;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = createConnection({ host, port });
      socket.setNoDelay(true);
      let connected = false;
      socket.once('connect', () => {
        connected = true;
        const closed = closeOnce(handlers);
        socket.on('data', handlers.onData);
        socket.on('close', () => closed('the connection closed'));
        socket.on('error', (err) => closed(err.message));
        resolve({ name, write: (data) => void (socket.destroyed || socket.write(data)), close: () => socket.destroy() });
      });
      socket.once('error', (err: NodeJS.ErrnoException) => {
        if (connected) return;
        socket.destroy();
        if (err.code === 'ECONNREFUSED' && Date.now() < giveUpAt) setTimeout(attempt, 50);
        else reject(new Error(`cannot connect to ${name}: ${err.message}`));
      });
    };
    attempt();
  });
}

export function openSerial(path: string, baud: number, handlers: StreamHandlers): Promise<ByteStream> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: baud, autoOpen: false });
    port.open((err) => {
      if (err) return reject(new Error(`cannot open ${path}: ${err.message}`));
      const closed = closeOnce(handlers);
      port.on('data', handlers.onData);
      port.on('close', () => closed(`${path} closed`));
      port.on('error', (e: Error) => closed(e.message));
      resolve({ name: path, write: (data) => void (port.isOpen && port.write(data)), close: () => port.isOpen && port.close() });
    });
  });
}

export function opener(address: DeviceAddress, retryForMs = 0): StreamOpener {
  return address.kind === 'tcp' ? (h) => connectTcp(address.host, address.port, h, retryForMs) : (h) => openSerial(address.path, address.baud, h);
}
