// Values as wast2json writes them, and what an expected result accepts. Every value travels as
// its raw bits (an unsigned bigint): i32/i64 as their two's complement bits, floats as their IEEE
// bits, references as the pointer the firmware holds. The firmware compares `(bits & mask) ==
// value` for each result (see driver-ir.ts); matches() is the same rule on the host.
import type { ValType } from '../wasm/types.js';

/** One value of a command, as in the JSON: `{"type": "f32", "value": "2139095040"}`. */
export interface WastValue {
  type: string;
  value?: string | readonly string[];
}

/** What one result must be: some bits equal under a mask, or any non-null reference. */
export type Pattern = { kind: 'bits'; mask: bigint; value: bigint } | { kind: 'non-null' };

const mask32 = 0xffff_ffffn;
const mask64 = 0xffff_ffff_ffff_ffffn;

/** How the firmware passes externref N: as the pointer N + 1, so that ref.extern 0 is not null. */
export function externBits(n: bigint): bigint {
  return n + 1n;
}

/** Why a value cannot be used, or undefined when it can: the harness runs non-SIMD scripts only. */
function unsupported(v: WastValue): string | undefined {
  if (!isValType(v.type) || v.type === 'v128') return `values of type ${v.type} are not supported`;
  if (Array.isArray(v.value)) return `a ${v.type} value given as lanes is not supported`;
  return undefined;
}

export function isValType(type: string): type is ValType {
  return ['i32', 'i64', 'f32', 'f64', 'funcref', 'externref', 'v128'].includes(type);
}

function width(type: ValType): bigint {
  return type === 'i64' || type === 'f64' ? mask64 : mask32;
}

function parseInteger(text: string, type: ValType): bigint {
  if (!/^\d+$/.test(text)) throw new Error(`${type} value '${text}' is not an unsigned decimal number`);
  const n = BigInt(text);
  if (n > width(type)) throw new Error(`${type} value ${text} does not fit in ${type}`);
  return n;
}

/** The bits of an argument. Throws (with the reason) for values the harness cannot pass. */
export function argumentBits(v: WastValue): bigint {
  const why = unsupported(v);
  if (why) throw new Error(why);
  const type = v.type as ValType;
  const text = v.value as string | undefined;
  if (text === undefined) throw new Error(`${type} argument without a value`);
  switch (type) {
    case 'funcref':
      if (text === 'null') return 0n;
      throw new Error('funcref arguments other than ref.null cannot be made on the host');
    case 'externref':
      return text === 'null' ? 0n : externBits(parseInteger(text, 'i32'));
    default:
      if (text.startsWith('nan:')) throw new Error(`argument ${text} is a pattern, not a value`);
      return parseInteger(text, type);
  }
}

/** The pattern an expected result compiles to. Throws for values the harness cannot check. */
export function expectedPattern(v: WastValue): Pattern {
  const why = unsupported(v);
  if (why) throw new Error(why);
  const type = v.type as ValType;
  const text = v.value as string | undefined;
  const exact = (value: bigint): Pattern => ({ kind: 'bits', mask: width(type), value });
  if (type === 'funcref' || type === 'externref') {
    if (text === undefined) return { kind: 'non-null' };
    if (text === 'null') return exact(0n);
    if (type === 'funcref') throw new Error('a funcref result can only be checked against ref.null or any ref.func');
    return exact(externBits(parseInteger(text, 'i32')));
  }
  if (text === undefined) throw new Error(`expected ${type} result without a value`);
  if (text === 'nan:canonical') {
    return type === 'f32'
      ? { kind: 'bits', mask: 0x7fff_ffffn, value: 0x7fc0_0000n }
      : { kind: 'bits', mask: 0x7fff_ffff_ffff_ffffn, value: 0x7ff8_0000_0000_0000n };
  }
  if (text === 'nan:arithmetic') {
    return type === 'f32'
      ? { kind: 'bits', mask: 0x7fc0_0000n, value: 0x7fc0_0000n }
      : { kind: 'bits', mask: 0x7ff8_0000_0000_0000n, value: 0x7ff8_0000_0000_0000n };
  }
  if (type === 'i32' || type === 'i64' || type === 'f32' || type === 'f64') return exact(parseInteger(text, type));
  throw new Error(`unexpected ${type} value '${text}'`);
}

/** The host's reading of a pattern: the rule the generated driver applies on the board. */
export function matches(pattern: Pattern, bits: bigint): boolean {
  if (pattern.kind === 'non-null') return bits !== 0n;
  return (bits & pattern.mask) === pattern.value;
}

function signed(bits: bigint, size: 32 | 64): bigint {
  return BigInt.asIntN(size, bits);
}

function floatText(bits: bigint, type: 'f32' | 'f64'): string {
  const view = new DataView(new ArrayBuffer(8));
  let value: number;
  if (type === 'f32') {
    view.setUint32(0, Number(bits & mask32));
    value = view.getFloat32(0);
  } else {
    view.setBigUint64(0, bits & mask64);
    value = view.getFloat64(0);
  }
  if (Number.isNaN(value)) {
    const negative = type === 'f32' ? bits >> 31n !== 0n : bits >> 63n !== 0n;
    const payload = bits & (type === 'f32' ? 0x7f_ffffn : 0xf_ffff_ffff_ffffn);
    return `${negative ? '-' : ''}nan:0x${payload.toString(16)}`;
  }
  return Object.is(value, -0) ? '-0' : String(value);
}

function hex(bits: bigint, type: ValType): string {
  const digits = type === 'i64' || type === 'f64' ? 16 : 8;
  return `0x${bits.toString(16).padStart(digits, '0')}`;
}

/** A value for messages: `i32 -1 (0xffffffff)`, `f32 -0 (0x80000000)`, `externref 3`. */
export function formatBits(type: ValType, bits: bigint): string {
  switch (type) {
    case 'i32':
      return `i32 ${signed(bits, 32)} (${hex(bits, type)})`;
    case 'i64':
      return `i64 ${signed(bits, 64)} (${hex(bits, type)})`;
    case 'f32':
    case 'f64':
      return `${type} ${floatText(bits, type)} (${hex(bits, type)})`;
    case 'externref':
      return bits === 0n ? 'externref null' : `externref ${bits - 1n}`;
    case 'funcref':
      return bits === 0n ? 'funcref null' : `funcref ${hex(bits, type)}`;
    case 'v128':
      return `v128 ${hex(bits, type)}`;
  }
}

/** An expected value for messages, as the script wrote it. */
export function formatExpected(v: WastValue): string {
  const type = v.type as ValType;
  const text = v.value;
  if (text === undefined) return type === 'funcref' ? 'any ref.func' : `any ${type}`;
  if (Array.isArray(text)) return `${type} [${text.join(' ')}]`;
  const value = text as string;
  if (value === 'null' || value.startsWith('nan:')) return `${type} ${value}`;
  if (type === 'externref') return `externref ${value}`;
  try {
    return formatBits(type, parseInteger(value, type));
  } catch {
    return `${type} ${value}`;
  }
}
