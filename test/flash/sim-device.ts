// An AN3155 device in memory, seen from the host as a ByteLink: enough of the protocol to
// test the client and the flash procedure quickly, with faults to inject. The real device is
// runtime-c/bootloader on QEMU (test/e2e/flash.test.ts).
import type { ByteLink } from '../../src/flash/byte-link.js';
import { LinkTimeout } from '../../src/flash/byte-link.js';

const ACK = 0x79;
const NACK = 0x1f;

export interface SimFaults {
  /** Answer this many command frames with NACK before behaving. */
  nackCommands?: number;
  /** Stay silent for this many command frames. */
  silentCommands?: number;
  /** Flip a bit in the data of this many Write Memory frames (as a noisy line would). */
  corruptWrites?: number;
}

type Need = Generator<number, void, number[]>;

export class SimDevice implements ByteLink {
  readonly name = 'sim';
  readonly memory: Uint8Array;
  readonly log: string[] = [];
  private out: number[] = [];
  private input: number[] = [];
  private session: Need;
  private need: number;

  /** Offset and size of each erase unit: uniform pages, or the sectors given. */
  private readonly units: { offset: number; size: number }[] = [];

  constructor(
    readonly base: number,
    size: number,
    pages: number | readonly number[],
    readonly protectedBytes: number,
    private faults: SimFaults = {},
    readonly productId = 0x414,
  ) {
    this.memory = new Uint8Array(size).fill(0xff);
    const sizes = typeof pages === 'number' ? Array.from({ length: size / pages }, () => pages) : pages;
    for (let offset = 0, i = 0; offset < size; offset += sizes[i++]!) this.units.push({ offset, size: sizes[i]! });
    this.session = this.serve();
    this.need = this.session.next().value as number;
  }

  async write(data: Uint8Array): Promise<void> {
    this.input.push(...data);
    while (this.input.length >= this.need) {
      const bytes = this.input.splice(0, this.need);
      this.need = this.session.next(bytes).value as number;
    }
  }

  async read(n: number): Promise<Buffer> {
    if (this.out.length < n) {
      const got = this.out.length;
      this.out = [];
      throw new LinkTimeout(n, got);
    }
    return Buffer.from(this.out.splice(0, n));
  }

  async readSome(): Promise<Buffer> {
    return Buffer.from(this.out.splice(0));
  }

  /** The host gave up on a frame: so does the device (a real one after its byte timeout). */
  discard(): void {
    this.out = [];
    this.input = [];
    this.session = this.serve();
    this.need = this.session.next().value as number;
  }

  async setLines(): Promise<void> {}

  async close(): Promise<void> {}

  private static address(bytes: number[]): number | undefined {
    if ((bytes[0]! ^ bytes[1]! ^ bytes[2]! ^ bytes[3]!) !== bytes[4]) return undefined;
    return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  }

  /** The device's side of the protocol: yields how many bytes it waits for next. */
  private *serve(): Need {
    for (;;) {
      const [first] = yield 1;
      if (first === 0x7f) {
        this.out.push(ACK);
        continue;
      }
      const [second] = yield 1;
      if ((first! ^ second!) !== 0xff) {
        this.out.push(NACK);
        continue;
      }
      if (this.faults.silentCommands) {
        this.faults.silentCommands--;
        continue;
      }
      if (this.faults.nackCommands) {
        this.faults.nackCommands--;
        this.out.push(NACK);
        continue;
      }
      yield* this.command(first!);
    }
  }

  private *command(code: number): Need {
    switch (code) {
      case 0x00:
        this.out.push(ACK, 7, 0x22, 0x00, 0x01, 0x02, 0x11, 0x21, 0x31, 0x44, ACK);
        return;
      case 0x02:
        this.out.push(ACK, 1, this.productId >> 8, this.productId & 0xff, ACK);
        return;
      case 0x11: {
        this.out.push(ACK);
        const at = SimDevice.address(yield 5);
        if (at === undefined) return void this.out.push(NACK);
        this.out.push(ACK);
        const [n, check] = yield 2;
        if ((n! ^ check!) !== 0xff) return void this.out.push(NACK);
        const off = at - this.base;
        this.out.push(ACK, ...this.memory.subarray(off, off + n! + 1));
        return;
      }
      case 0x31: {
        this.out.push(ACK);
        const at = SimDevice.address(yield 5);
        if (at === undefined) return void this.out.push(NACK);
        this.out.push(ACK);
        const [len] = yield 1;
        const rest = yield len! + 2;
        const frame = [len!, ...rest];
        if (this.faults.corruptWrites) {
          this.faults.corruptWrites--;
          frame[1]! ^= 0x10;
        }
        const sum = frame.slice(0, -1).reduce((x, b) => x ^ b, 0);
        if (sum !== frame.at(-1) || at - this.base < this.protectedBytes) return void this.out.push(NACK);
        this.memory.set(frame.slice(1, -1), at - this.base);
        this.log.push(`write ${at.toString(16)} ${len! + 1}`);
        this.out.push(ACK);
        return;
      }
      case 0x44: {
        this.out.push(ACK);
        const head = yield 2;
        const count = ((head[0]! << 8) | head[1]!) + 1;
        const body = yield count * 2 + 1;
        const pages = Array.from({ length: count }, (_, i) => (body[2 * i]! << 8) | body[2 * i + 1]!);
        const units = pages.map((p) => this.units[p]);
        if (units.some((u) => !u || u.offset < this.protectedBytes)) return void this.out.push(NACK);
        for (const u of units) this.memory.fill(0xff, u!.offset, u!.offset + u!.size);
        this.log.push(`erase ${pages.join(',')}`);
        this.out.push(ACK);
        return;
      }
      case 0x21: {
        this.out.push(ACK);
        const at = SimDevice.address(yield 5);
        this.log.push(`go ${at!.toString(16)}`);
        this.out.push(ACK);
        return;
      }
      default:
        this.out.push(NACK);
    }
  }
}
