import { crc32 } from './crc32.js';

/** A frame body that cannot be read: what is wrong and at which byte of the body. */
export class ProtocolError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} (body byte ${offset})`);
    this.name = 'ProtocolError';
  }
}

/** Little-endian fields appended in order; finish() adds the CRC-32 of everything before it. */
export class BodyWriter {
  private bytes: number[] = [];

  u8(v: number): this {
    this.bytes.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v).u8(v >>> 8);
  }
  u32(v: number): this {
    return this.u16(v & 0xffff).u16(v >>> 16);
  }
  i32(v: number): this {
    return this.u32(v >>> 0);
  }
  raw(data: Uint8Array): this {
    for (const b of data) this.bytes.push(b);
    return this;
  }
  /** A name with its u8 length before it. */
  name(text: string): this {
    const data = Buffer.from(text, 'latin1');
    return this.u8(data.length).raw(data);
  }
  finish(): Buffer {
    const body = Buffer.from(this.bytes);
    const crc = Buffer.alloc(4);
    crc.writeUInt32LE(crc32(body));
    return Buffer.concat([body, crc]);
  }
}

/** Reads fields of a body whose CRC has been checked; running past its end is a ProtocolError. */
export class BodyReader {
  private at = 0;
  /** `end` excludes the CRC. */
  constructor(private readonly body: Buffer, private readonly end: number) {}

  get offset(): number {
    return this.at;
  }
  private need(n: number, what: string): number {
    if (this.at + n > this.end) throw new ProtocolError(`${what} runs past the end of the body`, this.at);
    const at = this.at;
    this.at += n;
    return at;
  }
  u8(what: string): number {
    return this.body[this.need(1, what)]!;
  }
  u16(what: string): number {
    return this.body.readUInt16LE(this.need(2, what));
  }
  u32(what: string): number {
    return this.body.readUInt32LE(this.need(4, what));
  }
  i32(what: string): number {
    return this.body.readInt32LE(this.need(4, what));
  }
  raw(n: number, what: string): Buffer {
    const at = this.need(n, what);
    return Buffer.from(this.body.subarray(at, at + n));
  }
  name(what: string): string {
    const n = this.u8(`${what}'s length`);
    return this.raw(n, what).toString('latin1');
  }
  /** Bytes left over after the last field are a malformed body too. */
  done(): void {
    if (this.at !== this.end) throw new ProtocolError(`${this.end - this.at} byte(s) after the last field`, this.at);
  }
}

/** Checks the CRC at the end of a body and returns a reader for what precedes it. */
export function openBody(body: Buffer): BodyReader {
  if (body.length < 6) throw new ProtocolError(`a body of ${body.length} byte(s) is too short (type, version and CRC take 6)`, 0);
  const end = body.length - 4;
  const want = body.readUInt32LE(end);
  const got = crc32(body.subarray(0, end));
  if (want !== got) throw new ProtocolError(`CRC mismatch: the body says 0x${want.toString(16).padStart(8, '0')}, its bytes give 0x${got.toString(16).padStart(8, '0')}`, end);
  return new BodyReader(body, end);
}
