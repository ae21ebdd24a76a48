import { describe, expect, it } from 'vitest';
import { BentoError } from '../../src/diagnostics/error.js';
import { Reader } from '../../src/wasm/reader.js';

const reader = (...bytes: number[]): Reader => new Reader(Uint8Array.from(bytes), 't.wasm');

/** The B3001 diagnostic a read throws: its code, offset and message. */
function failure(read: () => unknown): { code: string; offset: number | undefined; message: string } {
  try {
    read();
  } catch (error) {
    if (!(error instanceof BentoError)) throw error;
    const d = error.diagnostics[0]!;
    return { code: d.code, offset: d.location?.offset, message: d.message };
  }
  throw new Error('expected the read to fail');
}

describe('u32', () => {
  it.each([
    [[0x00], 0],
    [[0x7f], 127],
    [[0x80, 0x01], 128],
    [[0xe5, 0x8e, 0x26], 624485],
    [[0x80, 0x80, 0x80, 0x80, 0x00], 0],
    [[0xff, 0xff, 0xff, 0xff, 0x0f], 0xffffffff],
  ])('%j -> %d', (bytes, value) => {
    const r = reader(...bytes);
    expect(r.u32()).toBe(value);
    expect(r.pos).toBe(bytes.length);
  });

  it.each([
    ['too large', [0xff, 0xff, 0xff, 0xff, 0x1f], 'integer too large'],
    ['too large (top bit)', [0x80, 0x80, 0x80, 0x80, 0x40], 'integer too large'],
    ['too long', [0x80, 0x80, 0x80, 0x80, 0x80, 0x00], 'integer representation too long'],
    ['cut short', [0x80, 0x80], 'unexpected end'],
  ])('rejects %s', (_, bytes, message) => {
    const r = reader(0x00, ...bytes);
    r.u8();
    const f = failure(() => r.u32());
    expect(f.code).toBe('B3001');
    expect(f.message).toContain(message);
    // LEB errors point at the integer; a cut-short one at the end of the input.
    expect(f.offset).toBe(message === 'unexpected end' ? bytes.length + 1 : 1);
  });
});

describe('s32', () => {
  it.each([
    [[0x00], 0],
    [[0x3f], 63],
    [[0x40], -64],
    [[0x7f], -1],
    [[0xc0, 0x00], 64],
    [[0xbf, 0x7f], -65],
    [[0xff, 0xff, 0xff, 0xff, 0x07], 0x7fffffff],
    [[0x80, 0x80, 0x80, 0x80, 0x78], -0x80000000],
    [[0xff, 0xff, 0xff, 0xff, 0x7f], -1],
  ])('%j -> %d', (bytes, value) => {
    expect(reader(...bytes).s32()).toBe(value);
  });

  it.each([
    [[0xff, 0xff, 0xff, 0xff, 0x0f], 'integer too large'], // sign bit set, upper bits clear
    [[0x80, 0x80, 0x80, 0x80, 0x70], 'integer too large'], // upper bits set, sign bit clear
    [[0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], 'integer representation too long'],
  ])('rejects %j', (bytes, message) => {
    const f = failure(() => reader(...bytes).s32());
    expect(f.code).toBe('B3001');
    expect(f.message).toBe(message);
    expect(f.offset).toBe(0);
  });
});

describe('s33 (block type indices)', () => {
  it.each([
    [[0x40], -64],
    [[0x7f], -1],
    [[0x05], 5],
    [[0xff, 0xff, 0xff, 0xff, 0x0f], 0xffffffff],
    [[0x80, 0x80, 0x80, 0x80, 0x70], -(2 ** 32)],
  ])('%j -> %d', (bytes, value) => {
    expect(reader(...bytes).s33()).toBe(value);
  });

  it.each([
    [[0x80, 0x80, 0x80, 0x80, 0x10], 'integer too large'],
    [[0x80, 0x80, 0x80, 0x80, 0x60], 'integer too large'],
    [[0x80, 0x80, 0x80, 0x80, 0x80, 0x00], 'integer representation too long'],
  ])('rejects %j', (bytes, message) => {
    expect(failure(() => reader(...bytes).s33()).message).toBe(message);
  });
});

describe('s64', () => {
  const ff = (n: number): number[] => Array.from({ length: n }, () => 0xff);
  const x80 = (n: number): number[] => Array.from({ length: n }, () => 0x80);
  it.each([
    [[0x00], 0n],
    [[0x7f], -1n],
    [[0x80, 0x80, 0x80, 0x80, 0x80, 0x01], 1n << 35n],
    [[0x80, 0x80, 0x80, 0x80, 0x80, 0x7f], -(1n << 35n)],
    [[...ff(9), 0x00], (1n << 63n) - 1n],
    [[...x80(9), 0x7f], -(1n << 63n)],
    [[...ff(9), 0x7f], -1n],
  ])('%j -> %d', (bytes, value) => {
    expect(reader(...bytes).s64()).toBe(value);
  });

  it.each([
    [[...ff(9), 0x01], 'integer too large'],
    [[...x80(9), 0x70], 'integer too large'],
    [[...x80(10), 0x00], 'integer representation too long'],
  ])('rejects %j', (bytes, message) => {
    const f = failure(() => reader(...bytes).s64());
    expect(f.code).toBe('B3001');
    expect(f.message).toBe(message);
  });
});

describe('floats', () => {
  it('reads raw little-endian bits', () => {
    expect(reader(0x00, 0x00, 0xc0, 0x7f).f32Bits()).toBe(0x7fc00000);
    expect(reader(0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0xff).f64Bits()).toBe(0xfff8000000000001n);
  });

  it('rejects a cut-short f64', () => {
    expect(failure(() => reader(0, 0, 0).f64Bits()).message).toBe('unexpected end');
  });
});

describe('names', () => {
  it('reads ASCII and UTF-8, keeping a byte order mark', () => {
    expect(reader(0x02, 0x68, 0x69).name()).toBe('hi');
    expect(reader(0x03, 0xe2, 0x82, 0xac).name()).toBe('€');
    expect(reader(0x03, 0xef, 0xbb, 0xbf).name()).toBe('\ufeff');
  });

  it.each([
    ['overlong', [0x02, 0xc0, 0x80]],
    ['surrogate', [0x03, 0xed, 0xa0, 0x80]],
    ['truncated', [0x01, 0xc3]],
    ['beyond U+10FFFF', [0x04, 0xf4, 0x90, 0x80, 0x80]],
  ])('rejects %s UTF-8', (_, bytes) => {
    const f = failure(() => reader(...bytes).name());
    expect(f.code).toBe('B3001');
    expect(f.message).toBe('malformed UTF-8 encoding');
    expect(f.offset).toBe(0);
  });

  it('rejects a length past the end', () => {
    expect(failure(() => reader(0x05, 0x61).name()).code).toBe('B3001');
  });
});

describe('bounds and contexts', () => {
  it('stops at the current bound, not the end of the bytes', () => {
    const r = reader(0x01, 0x02, 0x03);
    r.end = 1;
    r.u8();
    expect(failure(() => r.u8()).offset).toBe(1);
  });

  it('rejects a vector longer than what is left', () => {
    expect(failure(() => reader(0x05, 0x00).vec((x) => x.u8())).code).toBe('B3001');
  });

  it('names the section and function in the error context', () => {
    const r = reader();
    r.where = 'section code';
    r.func = 3;
    try {
      r.u8();
    } catch (error) {
      expect((error as BentoError).diagnostics[0]!.location).toEqual({ file: 't.wasm', offset: 0, context: 'section code, function 3' });
    }
    expect.assertions(1);
  });
});
