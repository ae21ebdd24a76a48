// Instruction sequences: function bodies and constant expressions. The decoder checks the binary
// grammar only (known opcodes, well-formed immediates, block / if / else / end nesting); typing is
// the validator's job.
import { MISC_PREFIX, opByByte, opByMiscCode, SIMD_PREFIX, type OpInfo } from './opcodes.js';
import { failSimd, readRefType, readValType, valTypeOfByte } from './read-types.js';
import type { Reader } from './reader.js';
import type { BlockType, ConstExpr, Instr, MemArg, ValType } from './types.js';

// What each open structured instruction allows next.
const BLOCK = 0; // block or loop: only `end`
const IF = 1; // `else` or `end`
const ELSE = 2; // an `if` past its `else`: only `end`

const EMPTY_BLOCK: BlockType = Object.freeze({ kind: 'empty' });
const valueBlocks = new Map<ValType, BlockType>();

/**
 * Reads instructions up to and including the `end` that closes the sequence. `onDataIndex` hears
 * of each memory.init and data.drop (they need a data count section; the caller decides).
 */
export function readExpression(r: Reader, onDataIndex?: (offset: number) => void): Instr[] {
  const body: Instr[] = [];
  const open: number[] = [];
  for (;;) {
    const offset = r.pos;
    const byte = r.u8();
    let info: OpInfo | undefined;
    if (byte === MISC_PREFIX) {
      const sub = r.u32();
      info = opByMiscCode(sub);
      if (info === undefined) r.fail(`illegal opcode 0xfc ${sub}`, offset);
      if (onDataIndex !== undefined && (info.immediate === 'memory.init' || info.immediate === 'data')) onDataIndex(offset);
    } else if (byte === SIMD_PREFIX) {
      failSimd(r, `instruction 0xfd ${r.u32()}`, offset);
    } else {
      info = opByByte(byte);
      if (info === undefined) r.fail(`illegal opcode 0x${byte.toString(16)}`, offset);
    }
    body.push(readImmediates(r, info, offset));
    switch (byte) {
      case 0x02: // block
      case 0x03: // loop
        open.push(BLOCK);
        break;
      case 0x04: // if
        open.push(IF);
        break;
      case 0x05: // else
        if (open[open.length - 1] !== IF) r.fail('END opcode expected (else without if)', offset);
        open[open.length - 1] = ELSE;
        break;
      case 0x0b: // end
        if (open.length === 0) return body;
        open.pop();
        break;
    }
  }
}

/** A constant expression, without its `end`. */
export function readConstExpr(r: Reader): ConstExpr {
  const body = readExpression(r);
  body.pop();
  return body;
}

function readImmediates(r: Reader, info: OpInfo, offset: number): Instr {
  const op = info.name;
  switch (info.immediate) {
    case 'none':
      return { op, offset };
    case 'blocktype':
      return { op, offset, blockType: readBlockType(r) };
    case 'label':
    case 'func':
    case 'local':
    case 'global':
    case 'table':
    case 'data':
    case 'elem':
      return { op, offset, index: r.u32() };
    case 'br_table': {
      const labels = r.vec(readIndex);
      return { op, offset, index: r.u32(), labels };
    }
    case 'call_indirect':
    case 'table.init':
    case 'table.copy': {
      // call_indirect: type, table; table.init: elem, table; table.copy: destination, source.
      const index = r.u32();
      return { op, offset, index, index2: r.u32() };
    }
    case 'memarg':
      return { op, offset, memarg: readMemArg(r) };
    case 'memory':
      readZeroByte(r);
      return { op, offset };
    case 'memory.init': {
      const index = r.u32();
      readZeroByte(r);
      return { op, offset, index };
    }
    case 'memory.copy':
      readZeroByte(r);
      readZeroByte(r);
      return { op, offset };
    case 'i32':
      return { op, offset, value: r.s32() };
    case 'i64':
      return { op, offset, value: r.s64() };
    case 'f32':
      return { op, offset, bits: r.f32Bits() };
    case 'f64':
      return { op, offset, bits: r.f64Bits() };
    case 'select_types':
      return { op, offset, types: r.vec(readValType) };
    case 'reftype':
      return { op, offset, refType: readRefType(r) };
  }
}

function readIndex(r: Reader): number {
  return r.u32();
}

function readMemArg(r: Reader): MemArg {
  const align = r.u32();
  return { align, offset: r.u32(), memory: 0 };
}

/** Wasm 2.0 reserves a memory index byte that must be a plain 0x00, not a longer LEB128 zero. */
function readZeroByte(r: Reader): void {
  const offset = r.pos;
  if (r.u8() !== 0) r.fail('zero byte expected', offset);
}

/** 0x40 (empty), a value type byte, or a type index as a non-negative s33. */
function readBlockType(r: Reader): BlockType {
  const offset = r.pos;
  const byte = r.u8();
  if (byte === 0x40) return EMPTY_BLOCK;
  const type = valTypeOfByte(byte);
  if (type !== undefined) return valueBlock(type);
  if (byte === 0x7b) failSimd(r, 'block type v128', offset);
  r.pos = offset;
  const typeIndex = r.s33();
  if (typeIndex < 0) r.fail('malformed block type', offset);
  return { kind: 'func', typeIndex };
}

function valueBlock(type: ValType): BlockType {
  let block = valueBlocks.get(type);
  if (block === undefined) {
    block = Object.freeze({ kind: 'value', type });
    valueBlocks.set(type, block);
  }
  return block;
}
