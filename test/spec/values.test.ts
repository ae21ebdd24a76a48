import { describe, expect, it } from 'vitest';
import { argumentBits, expectedPattern, externBits, formatBits, formatExpected, matches } from '../../src/spec/values.js';
import type { WastValue } from '../../src/spec/values.js';

const v = (type: string, value?: string): WastValue => ({ type, value });
const accepts = (expected: WastValue, bits: bigint) => matches(expectedPattern(expected), bits);

describe('argumentBits', () => {
  it.each([
    [v('i32', '0'), 0n],
    [v('i32', '4294967295'), 0xffff_ffffn],
    [v('i64', '18446744073709551615'), 0xffff_ffff_ffff_ffffn],
    [v('f32', '2143289344'), 0x7fc0_0000n],
    [v('f64', '9221120237041090560'), 0x7ff8_0000_0000_0000n],
    [v('externref', 'null'), 0n],
    [v('externref', '0'), 1n],
    [v('externref', '41'), 42n],
    [v('funcref', 'null'), 0n],
  ])('%j -> %s', (value, bits) => {
    expect(argumentBits(value)).toBe(bits);
  });

  it('refuses what cannot be passed', () => {
    expect(() => argumentBits(v('i32', '4294967296'))).toThrow(/does not fit/);
    expect(() => argumentBits(v('i32', '-1'))).toThrow(/unsigned/);
    expect(() => argumentBits(v('f32', 'nan:canonical'))).toThrow(/pattern/);
    expect(() => argumentBits(v('funcref', '3'))).toThrow(/funcref/);
    expect(() => argumentBits({ type: 'v128', value: ['1', '2', '3', '4'] })).toThrow(/v128/);
  });
});

describe('expected values', () => {
  it('integers and floats compare every bit', () => {
    expect(accepts(v('i32', '4294967295'), 0xffff_ffffn)).toBe(true);
    expect(accepts(v('i32', '4294967295'), 0xffff_fffen)).toBe(false);
    expect(accepts(v('i64', '9223372036854775808'), 0x8000_0000_0000_0000n)).toBe(true);
    // -0 and +0 are different results.
    expect(accepts(v('f32', '2147483648'), 0x8000_0000n)).toBe(true);
    expect(accepts(v('f32', '2147483648'), 0n)).toBe(false);
    expect(accepts(v('f64', '0'), 0x8000_0000_0000_0000n)).toBe(false);
    // A specific NaN is exactly that NaN, payload and sign included.
    expect(accepts(v('f32', '2141192192'), 0x7fa0_0000n)).toBe(true);
    expect(accepts(v('f32', '2141192192'), 0x7fc0_0000n)).toBe(false);
  });

  it('nan:canonical accepts only the canonical NaN, of either sign', () => {
    const f32 = v('f32', 'nan:canonical');
    expect(accepts(f32, 0x7fc0_0000n)).toBe(true);
    expect(accepts(f32, 0xffc0_0000n)).toBe(true);
    expect(accepts(f32, 0x7fc0_0001n)).toBe(false);
    expect(accepts(f32, 0x7fa0_0000n)).toBe(false);
    expect(accepts(f32, 0x7f80_0000n)).toBe(false);
    const f64 = v('f64', 'nan:canonical');
    expect(accepts(f64, 0x7ff8_0000_0000_0000n)).toBe(true);
    expect(accepts(f64, 0xfff8_0000_0000_0000n)).toBe(true);
    expect(accepts(f64, 0x7ff8_0000_0000_0001n)).toBe(false);
    expect(accepts(f64, 0x7ff0_0000_0000_0000n)).toBe(false);
  });

  it('nan:arithmetic accepts any quiet NaN and no signalling one', () => {
    const f32 = v('f32', 'nan:arithmetic');
    expect(accepts(f32, 0x7fc0_0000n)).toBe(true);
    expect(accepts(f32, 0xffc0_0001n)).toBe(true);
    expect(accepts(f32, 0x7fff_ffffn)).toBe(true);
    expect(accepts(f32, 0x7fa0_0000n)).toBe(false);
    expect(accepts(f32, 0x7f80_0000n)).toBe(false);
    expect(accepts(f32, 0x3f80_0000n)).toBe(false);
    const f64 = v('f64', 'nan:arithmetic');
    expect(accepts(f64, 0x7ffc_0000_0000_0000n)).toBe(true);
    expect(accepts(f64, 0xfff8_0000_0000_0001n)).toBe(true);
    expect(accepts(f64, 0x7ff4_0000_0000_0000n)).toBe(false);
    expect(accepts(f64, 0x7ff0_0000_0000_0000n)).toBe(false);
  });

  it('references: null, a given externref, any funcref', () => {
    expect(accepts(v('externref', 'null'), 0n)).toBe(true);
    expect(accepts(v('externref', 'null'), 1n)).toBe(false);
    expect(accepts(v('externref', '0'), externBits(0n))).toBe(true);
    expect(accepts(v('externref', '0'), 0n)).toBe(false);
    expect(accepts(v('externref', '2'), externBits(3n))).toBe(false);
    expect(accepts(v('funcref', 'null'), 0n)).toBe(true);
    expect(accepts(v('funcref'), 0x1234n)).toBe(true);
    expect(accepts(v('funcref'), 0n)).toBe(false);
  });

  it('refuses what cannot be checked', () => {
    expect(() => expectedPattern({ type: 'v128', value: ['0', '0', '0', '0'] })).toThrow(/v128/);
    expect(() => expectedPattern(v('i32'))).toThrow(/without a value/);
    expect(() => expectedPattern(v('funcref', '7'))).toThrow(/funcref/);
  });
});

describe('formatting', () => {
  it.each([
    ['i32', 0xffff_ffffn, 'i32 -1 (0xffffffff)'],
    ['i64', 1n, 'i64 1 (0x0000000000000001)'],
    ['f32', 0x8000_0000n, 'f32 -0 (0x80000000)'],
    ['f32', 0x3fc0_0000n, 'f32 1.5 (0x3fc00000)'],
    ['f32', 0xffa0_0000n, 'f32 -nan:0x200000 (0xffa00000)'],
    ['f64', 0x7ff0_0000_0000_0000n, 'f64 Infinity (0x7ff0000000000000)'],
    ['externref', 0n, 'externref null'],
    ['externref', 5n, 'externref 4'],
  ] as const)('%s %s', (type, bits, text) => {
    expect(formatBits(type, bits)).toBe(text);
  });

  it('shows patterns as the script wrote them', () => {
    expect(formatExpected(v('f32', 'nan:canonical'))).toBe('f32 nan:canonical');
    expect(formatExpected(v('funcref'))).toBe('any ref.func');
    expect(formatExpected(v('externref', '3'))).toBe('externref 3');
    expect(formatExpected(v('i32', '4294967295'))).toBe('i32 -1 (0xffffffff)');
  });
});
