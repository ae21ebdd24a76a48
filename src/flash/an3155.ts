// The host side of the STM32 system bootloader protocol (ST AN3155): every command is its code
// and complement, answered by ACK 0x79 or NACK 0x1F; addresses are big-endian with an XOR
// byte; data blocks carry an XOR checksum. A command that gets a NACK or no answer is retried
// after the device has had time to give up on the half-received frame.
import { BentoError } from '../diagnostics/error.js';
import type { ByteLink } from './byte-link.js';
import { LinkTimeout } from './byte-link.js';

export const ACK = 0x79;
export const NACK = 0x1f;
export const SYNC = 0x7f;

export const Cmd = {
  get: 0x00,
  getVersion: 0x01,
  getId: 0x02,
  readMemory: 0x11,
  go: 0x21,
  writeMemory: 0x31,
  erase: 0x43,
  extendedErase: 0x44,
} as const;

/** Largest block Read and Write Memory move. */
export const BLOCK = 256;

export interface Identity {
  version: number;
  commands: readonly number[];
  productId: number;
}

export interface ClientOptions {
  /** How long to wait for an answer byte. */
  timeoutMs?: number;
  /** Tries per command before giving up. */
  attempts?: number;
  /** Wait after a failure so the device drops a half-received frame (its byte timeout). */
  recoverMs?: number;
  onRetry?: (what: string, why: string) => void;
}

class Refused extends Error {}

const xor = (bytes: Iterable<number>) => [...bytes].reduce((a, b) => a ^ b, 0);

function addressBytes(address: number): number[] {
  const b = [(address >>> 24) & 0xff, (address >>> 16) & 0xff, (address >>> 8) & 0xff, address & 0xff];
  return [...b, xor(b)];
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

export class An3155Client {
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly recoverMs: number;
  private identity?: Identity;

  constructor(private readonly link: ByteLink, private readonly options: ClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 500;
    this.attempts = options.attempts ?? 4;
    this.recoverMs = options.recoverMs ?? 1100;
  }

  private async ack(what: string, timeoutMs = this.timeoutMs): Promise<void> {
    const [b] = await this.link.read(1, timeoutMs);
    if (b === ACK) return;
    if (b === NACK) throw new Refused(`${what}: NACK`);
    throw new Refused(`${what}: unexpected byte 0x${b!.toString(16)}`);
  }

  private async send(bytes: readonly number[]): Promise<void> {
    await this.link.write(Uint8Array.from(bytes));
  }

  private async command(code: number, what: string): Promise<void> {
    await this.send([code, code ^ 0xff]);
    await this.ack(what);
  }

  /** Runs `body` until it succeeds, resynchronising between tries. */
  private async retry<T>(what: string, body: () => Promise<T>): Promise<T> {
    let last = '';
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      try {
        return await body();
      } catch (err) {
        if (!(err instanceof Refused) && !(err instanceof LinkTimeout)) throw err;
        last = err instanceof LinkTimeout ? 'no answer' : err.message;
        if (attempt === this.attempts) break;
        this.options.onRetry?.(what, last);
        await new Promise((r) => setTimeout(r, this.recoverMs));
        this.link.discard();
        await this.resync().catch(() => {});
      }
    }
    const silent = last === 'no answer';
    throw new BentoError({
      code: silent ? 'B6006' : 'B6007',
      message: `${what} failed after ${this.attempts} tries (${last}) on ${this.link.name}`,
      hint: silent ? 'is the target in its bootloader, and the baud rate right?' : undefined,
    });
  }

  /** A 0x7F: a fresh device answers ACK; one already synchronised may answer NACK, also fine. */
  private async resync(): Promise<void> {
    await this.send([SYNC]);
    const [b] = await this.link.read(1, this.timeoutMs);
    if (b !== ACK && b !== NACK) throw new Refused(`sync: unexpected byte 0x${b!.toString(16)}`);
  }

  async connect(): Promise<Identity> {
    await this.retry('synchronising with the bootloader', () => this.resync());
    const get = await this.retry('Get', async () => {
      await this.command(Cmd.get, 'Get');
      const [n] = await this.link.read(1, this.timeoutMs);
      const body = await this.link.read(n! + 1, this.timeoutMs);
      await this.ack('Get');
      return { version: body[0]!, commands: [...body.subarray(1)] };
    });
    const productId = await this.retry('Get ID', async () => {
      await this.command(Cmd.getId, 'Get ID');
      const [n] = await this.link.read(1, this.timeoutMs);
      const pid = await this.link.read(n! + 1, this.timeoutMs);
      await this.ack('Get ID');
      return pid.reduce((v, b) => (v << 8) | b, 0);
    });
    this.identity = { ...get, productId };
    return this.identity;
  }

  async readMemory(address: number, length: number): Promise<Buffer> {
    if (length < 1 || length > BLOCK) throw new Error(`internal: read of ${length} bytes`);
    return this.retry(`reading ${length} bytes at ${hex(address)}`, async () => {
      await this.command(Cmd.readMemory, 'Read Memory');
      await this.send(addressBytes(address));
      await this.ack('Read Memory address');
      await this.send([length - 1, (length - 1) ^ 0xff]);
      await this.ack('Read Memory length');
      return this.link.read(length, this.timeoutMs);
    });
  }

  async writeMemory(address: number, data: Uint8Array): Promise<void> {
    if (data.length < 1 || data.length > BLOCK) throw new Error(`internal: write of ${data.length} bytes`);
    const frame = [data.length - 1, ...data];
    await this.retry(`writing ${data.length} bytes at ${hex(address)}`, async () => {
      await this.command(Cmd.writeMemory, 'Write Memory');
      await this.send(addressBytes(address));
      await this.ack('Write Memory address');
      await this.send([...frame, xor(frame)]);
      await this.ack('Write Memory data', this.timeoutMs * 2);
    });
  }

  /** Erases pages (or sectors) by number, with Extended Erase or Erase, whichever the device offers; each answer may take `timeoutMs`. */
  async erasePages(pages: readonly number[], timeoutMs = this.timeoutMs * 10): Promise<void> {
    const commands = this.identity?.commands ?? [];
    for (let i = 0; i < pages.length; i += 64) {
      const batch = pages.slice(i, i + 64);
      if (commands.includes(Cmd.extendedErase)) {
        const bytes = [(batch.length - 1) >> 8, (batch.length - 1) & 0xff, ...batch.flatMap((p) => [p >> 8, p & 0xff])];
        await this.retry(`erasing pages ${batch[0]}..${batch.at(-1)}`, async () => {
          await this.command(Cmd.extendedErase, 'Extended Erase');
          await this.send([...bytes, xor(bytes)]);
          await this.ack('Extended Erase pages', timeoutMs);
        });
      } else if (commands.includes(Cmd.erase)) {
        if (batch.some((p) => p > 0xff)) throw new BentoError({ code: 'B6007', message: `the bootloader's Erase command cannot name page ${Math.max(...batch)} (255 at most)` });
        const bytes = [batch.length - 1, ...batch];
        await this.retry(`erasing pages ${batch[0]}..${batch.at(-1)}`, async () => {
          await this.command(Cmd.erase, 'Erase');
          await this.send([...bytes, xor(bytes)]);
          await this.ack('Erase pages', timeoutMs);
        });
      } else {
        throw new BentoError({ code: 'B6007', message: 'the bootloader offers no erase command' });
      }
    }
  }

  async go(address: number): Promise<void> {
    await this.retry(`starting the application at ${hex(address)}`, async () => {
      await this.command(Cmd.go, 'Go');
      await this.send(addressBytes(address));
      await this.ack('Go address');
    });
  }
}
