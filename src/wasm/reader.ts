// A cursor over the bytes of a module. Every read checks the current bound (the end of the module,
// a section or a function body) and every failure is a located B3001 "malformed" error, with the
// wording of the spec's reference interpreter where it has one.
import { BentoError } from '../diagnostics/error.js';

// `ignoreBOM` keeps a leading U+FEFF in the name instead of silently dropping it.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class Reader {
  /** Offset of the next byte to read. */
  pos: number;
  /** Reads may not go past this offset: the end of the module, a section or a function body. */
  end: number;
  /** Where we are, for error contexts: "header", "section type", "section code", ... */
  where = 'header';
  /** Inside the code section: the index of the function being read (imports included). */
  func: number | undefined;

  constructor(
    readonly bytes: Uint8Array,
    readonly file: string,
  ) {
    this.pos = 0;
    this.end = bytes.length;
  }

  context(): string {
    return this.func === undefined ? this.where : `${this.where}, function ${this.func}`;
  }

  fail(message: string, offset = this.pos): never {
    throw new BentoError({ code: 'B3001', message, location: { file: this.file, offset, context: this.context() } });
  }

  /** Something well formed that bento does not support: B3003 rather than "malformed". */
  unsupported(message: string, offset: number, hint?: string): never {
    const location = { file: this.file, offset, context: this.context() };
    throw new BentoError({ code: 'B3003', message, location, ...(hint === undefined ? {} : { hint }) });
  }

  /** Bytes left before the current bound. */
  remaining(): number {
    return this.end - this.pos;
  }

  u8(): number {
    if (this.pos >= this.end) this.fail('unexpected end');
    return this.bytes[this.pos++]!;
  }

  /** Unsigned LEB128, at most 5 bytes, value below 2^32. */
  u32(): number {
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.bytes[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    return this.u32Long();
  }

  private u32Long(): number {
    const start = this.pos;
    let result = 0;
    for (let i = 0; i < 4; i++) {
      const b = this.u8();
      result |= (b & 0x7f) << (7 * i);
      if (b < 0x80) return result >>> 0;
    }
    // The fifth byte holds bits 28..31: its top three value bits must be zero.
    const last = this.u8();
    if (last & 0x80) this.fail('integer representation too long', start);
    if (last & 0x70) this.fail('integer too large', start);
    return (result | (last << 28)) >>> 0;
  }

  /** Signed LEB128, at most 5 bytes, value in the i32 range. */
  s32(): number {
    const start = this.pos;
    let result = 0;
    for (let i = 0; i < 4; i++) {
      const b = this.u8();
      result |= (b & 0x7f) << (7 * i);
      if (b < 0x80) {
        const used = 7 * (i + 1);
        return b & 0x40 ? result | (-1 << used) : result;
      }
    }
    // The fifth byte holds bits 28..31; its top three value bits must repeat the sign (bit 3).
    const last = this.u8();
    if (last & 0x80) this.fail('integer representation too long', start);
    const value = last & 0x7f;
    if (value >= 0x08 && value < 0x78) this.fail('integer too large', start);
    return result | (last << 28);
  }

  /** Signed 33-bit LEB128 (block types), at most 5 bytes. Returned as a plain number. */
  s33(): number {
    const start = this.pos;
    let result = 0;
    for (let i = 0; i < 4; i++) {
      const b = this.u8();
      result += (b & 0x7f) * 2 ** (7 * i);
      if (b < 0x80) return b & 0x40 ? result - 2 ** (7 * (i + 1)) : result;
    }
    // The fifth byte holds bits 28..32; its top two value bits must repeat the sign (bit 4).
    const last = this.u8();
    if (last & 0x80) this.fail('integer representation too long', start);
    const value = last & 0x7f;
    if (value >= 0x10 && value < 0x70) this.fail('integer too large', start);
    result += (value & 0x1f) * 2 ** 28;
    return value & 0x10 ? result - 2 ** 33 : result;
  }

  /** Signed LEB128, at most 10 bytes, value in the i64 range. */
  s64(): bigint {
    const start = this.pos;
    // Short encodings (the common case) stay in plain numbers.
    let small = 0;
    for (let i = 0; i < 4; i++) {
      const b = this.u8();
      small |= (b & 0x7f) << (7 * i);
      if (b < 0x80) {
        const used = 7 * (i + 1);
        return BigInt(b & 0x40 ? small | (-1 << used) : small);
      }
    }
    let result = BigInt(small);
    for (let i = 4; i < 9; i++) {
      const b = this.u8();
      result |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) {
        const used = BigInt(7 * (i + 1));
        return b & 0x40 ? result - (1n << used) : result;
      }
    }
    // The tenth byte holds bit 63 only; its other value bits must repeat it.
    const last = this.u8();
    if (last & 0x80) this.fail('integer representation too long', start);
    const value = last & 0x7f;
    if (value !== 0 && value !== 0x7f) this.fail('integer too large', start);
    return BigInt.asIntN(64, result | (BigInt(value & 1) << 63n));
  }

  /** The raw IEEE bits of an f32, as an unsigned number. */
  f32Bits(): number {
    const pos = this.need(4);
    const b = this.bytes;
    return (b[pos]! | (b[pos + 1]! << 8) | (b[pos + 2]! << 16) | (b[pos + 3]! << 24)) >>> 0;
  }

  /** The raw IEEE bits of an f64, as an unsigned bigint. */
  f64Bits(): bigint {
    const pos = this.need(8);
    const b = this.bytes;
    const lo = (b[pos]! | (b[pos + 1]! << 8) | (b[pos + 2]! << 16) | (b[pos + 3]! << 24)) >>> 0;
    const hi = (b[pos + 4]! | (b[pos + 5]! << 8) | (b[pos + 6]! << 16) | (b[pos + 7]! << 24)) >>> 0;
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** `n` raw bytes, as a view into the module. */
  bytesView(n: number): Uint8Array {
    const pos = this.need(n);
    return this.bytes.subarray(pos, pos + n);
  }

  /** A length-prefixed byte string. */
  byteVector(): Uint8Array {
    const n = this.u32();
    if (n > this.remaining()) this.fail('unexpected end of section or function');
    return this.bytesView(n);
  }

  /** A name: a length-prefixed byte string that must be valid UTF-8. */
  name(): string {
    const start = this.pos;
    const n = this.u32();
    if (n > this.remaining()) this.fail('length out of bounds', start);
    const view = this.bytesView(n);
    if (n <= 64) {
      const ascii = asciiString(view);
      if (ascii !== undefined) return ascii;
    }
    try {
      return utf8.decode(view);
    } catch {
      return this.fail('malformed UTF-8 encoding', start);
    }
  }

  /**
   * The length of a vector whose elements take at least one byte each. A length larger than
   * what is left cannot be right, and rejecting it early avoids a huge allocation.
   */
  vecLength(): number {
    const start = this.pos;
    const n = this.u32();
    if (n > this.remaining()) this.fail('unexpected end of section or function', start);
    return n;
  }

  vec<T>(item: (r: Reader, index: number) => T): T[] {
    const n = this.vecLength();
    const out: T[] = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = item(this, i);
    return out;
  }

  /** Reserves `n` bytes and returns their start. */
  private need(n: number): number {
    const pos = this.pos;
    if (n > this.end - pos) this.fail('unexpected end');
    this.pos = pos + n;
    return pos;
  }
}

/** Short ASCII names (nearly all of them) are cheaper to build by hand than through the decoder. */
function asciiString(view: Uint8Array): string | undefined {
  let text = '';
  for (let i = 0; i < view.length; i++) {
    const c = view[i]!;
    if (c >= 0x80) return undefined;
    text += String.fromCharCode(c);
  }
  return text;
}
