// Readers for the type encodings several sections share: value and reference types, limits,
// table, memory and global types.
import type { Reader } from './reader.js';
import { defaultPageSizeLog2 } from './types.js';
import type { GlobalType, Limits, MemType, RefType, TableType, ValType } from './types.js';

const V128 = 0x7b;

const valTypes: ReadonlyMap<number, ValType> = new Map<number, ValType>([
  [0x7f, 'i32'],
  [0x7e, 'i64'],
  [0x7d, 'f32'],
  [0x7c, 'f64'],
  [0x70, 'funcref'],
  [0x6f, 'externref'],
]);

/** The value type a single byte encodes, if any (v128 is not one: bento rejects SIMD). */
export function valTypeOfByte(byte: number): ValType | undefined {
  return valTypes.get(byte);
}

export function failSimd(r: Reader, what: string, offset: number): never {
  return r.unsupported(`SIMD not supported: ${what} at offset 0x${offset.toString(16)}`, offset, 'build the module without SIMD (clang: -mno-simd128)');
}

export function readValType(r: Reader): ValType {
  const offset = r.pos;
  const byte = r.u8();
  const type = valTypes.get(byte);
  if (type !== undefined) return type;
  if (byte === V128) failSimd(r, 'value type v128', offset);
  return r.fail(`malformed value type 0x${byte.toString(16)}`, offset);
}

export function readRefType(r: Reader): RefType {
  const offset = r.pos;
  const byte = r.u8();
  if (byte === 0x70) return 'funcref';
  if (byte === 0x6f) return 'externref';
  return r.fail(`malformed reference type 0x${byte.toString(16)}`, offset);
}

export function readLimits(r: Reader): Limits {
  const offset = r.pos;
  const flags = r.u8();
  if (flags === 0x00) return { min: r.u32() };
  if (flags === 0x01) {
    const min = r.u32();
    return { min, max: r.u32() };
  }
  return r.fail(`malformed limits flags 0x${flags.toString(16)}`, offset);
}

export function readTableType(r: Reader): TableType {
  const elem = readRefType(r);
  return { elem, limits: readLimits(r) };
}

/** Memory limits may carry bit 3 (0x08): a page-size exponent follows them (custom-page-sizes). */
export function readMemType(r: Reader): MemType {
  const offset = r.pos;
  const flags = r.u8();
  if ((flags & ~0x09) !== 0) return r.fail(`malformed limits flags 0x${flags.toString(16)}`, offset);
  const min = r.u32();
  const limits = flags & 0x01 ? { min, max: r.u32() } : { min };
  return { limits, pageSizeLog2: flags & 0x08 ? r.u32() : defaultPageSizeLog2 };
}

export function readGlobalType(r: Reader): GlobalType {
  const type = readValType(r);
  const offset = r.pos;
  const mut = r.u8();
  if (mut > 1) r.fail('malformed mutability', offset);
  return { type, mutable: mut === 1 };
}
