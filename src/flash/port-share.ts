import { existsSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BentoError } from '../diagnostics/error.js';
import { Inbox } from './byte-link.js';
import type { ByteLink, SerialSettings } from './byte-link.js';

// A `bento monitor` keeps its port open for its whole life and lends it to `bento flash` over a
// Unix socket: closing and reopening a port loses what the device sends in between (a QEMU pty
// drops bytes while no one has it open; a USB adapter's driver drops them too), and an
// application starts printing the moment the flasher's Go is answered. So the monitor relays
// the flasher's bytes while it flashes; at the end the flasher gives back what it received and
// did not read (what the application printed after Go's ACK), and the monitor shows it first.
//
// Frames both ways: one type byte, a 4-byte big-endian length, the payload.
//   flasher -> monitor: H hello (JSON settings), D bytes for the device, L modem lines (JSON),
//                       E end (stop relaying), R the bytes received but not read (after E's answer)
//   monitor -> flasher: K ok, F failed (text), D bytes from the device, E relaying stopped

export function sharePath(port: string): string {
  return join(tmpdir(), `bento-port-${port.replace(/[^A-Za-z0-9]/g, '_')}.sock`);
}

type FrameType = 'H' | 'D' | 'L' | 'E' | 'R' | 'K' | 'F';

function frame(type: FrameType, payload: Uint8Array | string = Buffer.alloc(0)): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

/** Cuts a socket's byte stream into frames. */
function onFrames(socket: Socket, handle: (type: FrameType, payload: Buffer) => void): void {
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 5) {
      const length = pending.readUInt32BE(1);
      if (pending.length < 5 + length) break;
      handle(pending.toString('latin1', 0, 1) as FrameType, pending.subarray(5, 5 + length));
      pending = pending.subarray(5 + length);
    }
  });
}

/** What the monitor does for a flasher that borrows its port. */
export interface Lender {
  /** Switches the port to the flasher's settings (reopening it when they differ). */
  borrow(settings: SerialSettings): Promise<void>;
  write(data: Buffer): Promise<void>;
  setLines(lines: { dtr?: boolean; rts?: boolean }): Promise<void>;
  /** The flasher is done: `unread` came from the device after its last read; back to the monitor's settings. */
  giveBack(unread: Buffer): Promise<void>;
}

export interface PortShare {
  /** Whether a flasher has the port now: the device's bytes go to `relay`, not to the screen. */
  readonly lent: boolean;
  /** Passes bytes from the device to the flasher; false when none holds the port (anymore). */
  relay(data: Buffer): boolean;
  close(): Promise<void>;
}

/** Offers the monitor's port to flashers on the share socket for `port`. */
export async function sharePort(port: string, lender: Lender): Promise<PortShare> {
  const path = sharePath(port);
  // A socket file nobody answers on is left from a monitor that was killed.
  if (existsSync(path) && !(await answers(path))) rmSync(path, { force: true });
  let borrower: Socket | undefined;
  // starting: connected, settings not agreed yet; ending: the flasher's unread bytes are on their
  // way back. In both, the device's bytes wait in the monitor; after the give-back they show.
  let state: 'none' | 'starting' | 'relaying' | 'ending' = 'none';
  const server: Server = createServer((socket) => {
    if (borrower) {
      // Reading on (resume) lets its end arrive, so the socket closes and close() is not held up.
      socket.on('error', () => {});
      socket.resume();
      socket.end(frame('F', `another bento flash is using ${port} through this monitor`));
      return;
    }
    borrower = socket;
    state = 'starting';
    let gaveBack = false;
    const reply = (work: Promise<void>) =>
      work.then(
        () => socket.write(frame('K')),
        (err: Error) => socket.write(frame('F', err.message)),
      );
    // Frames are handled one after another, so a write is never overtaken by the next one.
    let queue = Promise.resolve();
    onFrames(socket, (type, payload) => {
      const handle = async () => {
        if (type === 'H') {
          await reply(lender.borrow(JSON.parse(payload.toString('utf8')) as SerialSettings).then(() => void (state = 'relaying')));
        } else if (type === 'D') {
          await lender.write(Buffer.from(payload));
        } else if (type === 'L') {
          await reply(lender.setLines(JSON.parse(payload.toString('utf8')) as { dtr?: boolean; rts?: boolean }));
        } else if (type === 'E') {
          // From here the device's bytes wait in the monitor until the unread ones are back.
          state = 'ending';
          socket.write(frame('E'));
        } else if (type === 'R') {
          // Not lent from here on: what arrives while the socket closes shows at once, in order.
          gaveBack = true;
          state = 'none';
          await lender.giveBack(Buffer.from(payload));
          socket.end();
        }
      };
      // A port that fails under the flasher (or a garbled frame) ends the loan; the monitor
      // then finds out about the port itself.
      queue = queue.then(handle).catch(() => void socket.destroy());
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      borrower = undefined;
      // A flasher that died halfway: the monitor takes its port back all the same.
      if (!gaveBack) {
        state = 'none';
        lender.giveBack(Buffer.alloc(0)).catch(() => {});
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new BentoError({ code: 'B6004', message: `cannot offer ${port} to bento flash at ${path}: ${err.message}`, hint: 'is another bento monitor running on this port?' })));
    server.listen(path, resolve);
  });
  return {
    get lent() {
      return state !== 'none';
    },
    relay(data) {
      if (state !== 'relaying' || !borrower) return false;
      borrower.write(frame('D', data));
      return true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        borrower?.destroy();
        server.close(() => resolve());
      }),
  };
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection(path, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/** The port of a `bento monitor` that lends it, or undefined when no monitor holds `port`. */
export async function borrowPort(port: string, settings: SerialSettings): Promise<ByteLink | undefined> {
  const path = sharePath(port);
  if (!existsSync(path)) return undefined;
  const socket = await new Promise<Socket | undefined>((resolve) => {
    const s = createConnection(path, () => resolve(s));
    s.once('error', () => resolve(undefined));
  });
  if (!socket) return undefined;
  const inbox = new Inbox();
  let answer: ((type: FrameType, text: string) => void) | undefined;
  let ended: (() => void) | undefined;
  onFrames(socket, (type, payload) => {
    if (type === 'D') inbox.push(Buffer.from(payload));
    else if (type === 'E') ended?.();
    else answer?.(type, payload.toString('utf8'));
  });
  const closed = new BentoError({ code: 'B6005', message: `${port}: the bento monitor lending it ended` });
  socket.on('close', () => {
    inbox.fail(closed);
    ended?.();
    answer?.('F', closed.message);
  });
  socket.on('error', () => {});
  const request = (type: FrameType, payload: string, what: string) =>
    new Promise<void>((resolve, reject) => {
      answer = (kind, text) => {
        answer = undefined;
        if (kind === 'K') resolve();
        else reject(new BentoError({ code: 'B6004', message: `${what} through the bento monitor on ${port}: ${text}` }));
      };
      socket.write(frame(type, payload));
    });
  try {
    await request('H', JSON.stringify(settings), 'cannot take the port');
  } catch (err) {
    socket.destroy();
    throw err;
  }
  return {
    name: port,
    write: (data) => new Promise((resolve, reject) => socket.write(frame('D', data), (err) => (err ? reject(closed) : resolve()))),
    read: (n, t) => inbox.read(n, t),
    readSome: (t) => inbox.readSome(t),
    discard: () => inbox.discard(),
    setLines: (lines) => request('L', JSON.stringify(lines), 'cannot set the modem lines'),
    close: async () => {
      if (socket.destroyed) return;
      // Everything relayed before the monitor's E is in the inbox; what it has not read yet
      // goes back to the monitor, which shows it before what came later.
      await new Promise<void>((resolve) => {
        ended = resolve;
        socket.write(frame('E'));
      });
      if (socket.destroyed) return;
      const unread = await inbox.readSome(0).catch(() => Buffer.alloc(0));
      await new Promise<void>((resolve) => socket.end(frame('R', unread), () => resolve()));
      await new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
    },
  };
}
