// The one opcode table of Wasm 2.0 (without SIMD), shared by the decoder, the validator and
// lowering. Each entry has the opcode's bytes, its spec name, the kind of its immediates, its spec
// category and, where the typing does not depend on the context, its operand and result types.
import type { NumType } from './types.js';

/** What follows the opcode in the binary. */
export type ImmediateKind =
  | 'none'
  | 'blocktype'
  | 'label' // br, br_if
  | 'br_table'
  | 'func' // call, ref.func
  | 'call_indirect' // type index, table index
  | 'local'
  | 'global'
  | 'table' // table.get/set/size/grow/fill
  | 'memarg'
  | 'memory' // memory.size, memory.grow, memory.fill: one reserved zero byte
  | 'i32'
  | 'i64'
  | 'f32'
  | 'f64'
  | 'select_types' // typed select: a vector of value types
  | 'reftype' // ref.null
  | 'memory.init' // data index, reserved zero byte
  | 'data' // data.drop
  | 'memory.copy' // two reserved zero bytes
  | 'table.init' // elem index, table index
  | 'elem' // elem.drop
  | 'table.copy'; // destination table, source table

/** The spec's instruction categories. */
export type OpGroup = 'control' | 'reference' | 'parametric' | 'variable' | 'table' | 'memory' | 'numeric';

export interface OpInfo {
  /** The spec's text name. */
  name: string;
  /** The opcode byte; for 0xFC-prefixed instructions, 0xFC. */
  byte: number;
  /** For 0xFC-prefixed instructions, the sub-opcode (a u32 after the prefix). */
  sub?: number;
  immediate: ImmediateKind;
  group: OpGroup;
  /** Operand types, bottom of the stack first, when they do not depend on the context. */
  params?: readonly NumType[];
  /** Result types, when they do not depend on the context. */
  results?: readonly NumType[];
  /** Loads and stores: log2 of the access width in bytes, the largest alignment allowed. */
  naturalAlign?: number;
}

/** The prefix byte of the bulk memory, table and saturating truncation instructions. */
export const MISC_PREFIX = 0xfc;
/** The prefix byte of SIMD instructions, which bento does not support. */
export const SIMD_PREFIX = 0xfd;

const table: OpInfo[] = [];

/** A signature written "i32 i32 -> i32". */
function sig(text: string): { params: readonly NumType[]; results: readonly NumType[] } {
  const [left = '', right = ''] = text.split('->');
  const list = (part: string): NumType[] => part.trim().split(/\s+/).filter(Boolean) as NumType[];
  return { params: list(left), results: list(right) };
}

function add(byte: number, name: string, immediate: ImmediateKind, group: OpGroup, signature?: string, extra: Partial<OpInfo> = {}): void {
  table.push({ name, byte, immediate, group, ...(signature === undefined ? {} : sig(signature)), ...extra });
}

function misc(sub: number, name: string, immediate: ImmediateKind, group: OpGroup, signature?: string): void {
  add(MISC_PREFIX, name, immediate, group, signature, { sub });
}

/** Plain numeric instructions with one signature on consecutive opcodes. */
function numeric(firstByte: number, signature: string, names: readonly string[]): void {
  names.forEach((name, i) => add(firstByte + i, name, 'none', 'numeric', signature));
}

function load(byte: number, name: string, type: NumType, naturalAlign: number): void {
  add(byte, name, 'memarg', 'memory', `i32 -> ${type}`, { naturalAlign });
}

function store(byte: number, name: string, type: NumType, naturalAlign: number): void {
  add(byte, name, 'memarg', 'memory', `i32 ${type} ->`, { naturalAlign });
}

// Control
add(0x00, 'unreachable', 'none', 'control');
add(0x01, 'nop', 'none', 'control');
add(0x02, 'block', 'blocktype', 'control');
add(0x03, 'loop', 'blocktype', 'control');
add(0x04, 'if', 'blocktype', 'control');
add(0x05, 'else', 'none', 'control');
add(0x0b, 'end', 'none', 'control');
add(0x0c, 'br', 'label', 'control');
add(0x0d, 'br_if', 'label', 'control');
add(0x0e, 'br_table', 'br_table', 'control');
add(0x0f, 'return', 'none', 'control');
add(0x10, 'call', 'func', 'control');
add(0x11, 'call_indirect', 'call_indirect', 'control');

// Reference
add(0xd0, 'ref.null', 'reftype', 'reference');
add(0xd1, 'ref.is_null', 'none', 'reference');
add(0xd2, 'ref.func', 'func', 'reference');

// Parametric. Both selects are named "select"; the typed one carries its `types` immediate.
add(0x1a, 'drop', 'none', 'parametric');
add(0x1b, 'select', 'none', 'parametric');
add(0x1c, 'select', 'select_types', 'parametric');

// Variable
add(0x20, 'local.get', 'local', 'variable');
add(0x21, 'local.set', 'local', 'variable');
add(0x22, 'local.tee', 'local', 'variable');
add(0x23, 'global.get', 'global', 'variable');
add(0x24, 'global.set', 'global', 'variable');

// Table (their operand types depend on the table's reference type)
add(0x25, 'table.get', 'table', 'table');
add(0x26, 'table.set', 'table', 'table');
misc(12, 'table.init', 'table.init', 'table', 'i32 i32 i32 ->');
misc(13, 'elem.drop', 'elem', 'table', '->');
misc(14, 'table.copy', 'table.copy', 'table', 'i32 i32 i32 ->');
misc(15, 'table.grow', 'table', 'table');
misc(16, 'table.size', 'table', 'table');
misc(17, 'table.fill', 'table', 'table');

// Memory
load(0x28, 'i32.load', 'i32', 2);
load(0x29, 'i64.load', 'i64', 3);
load(0x2a, 'f32.load', 'f32', 2);
load(0x2b, 'f64.load', 'f64', 3);
load(0x2c, 'i32.load8_s', 'i32', 0);
load(0x2d, 'i32.load8_u', 'i32', 0);
load(0x2e, 'i32.load16_s', 'i32', 1);
load(0x2f, 'i32.load16_u', 'i32', 1);
load(0x30, 'i64.load8_s', 'i64', 0);
load(0x31, 'i64.load8_u', 'i64', 0);
load(0x32, 'i64.load16_s', 'i64', 1);
load(0x33, 'i64.load16_u', 'i64', 1);
load(0x34, 'i64.load32_s', 'i64', 2);
load(0x35, 'i64.load32_u', 'i64', 2);
store(0x36, 'i32.store', 'i32', 2);
store(0x37, 'i64.store', 'i64', 3);
store(0x38, 'f32.store', 'f32', 2);
store(0x39, 'f64.store', 'f64', 3);
store(0x3a, 'i32.store8', 'i32', 0);
store(0x3b, 'i32.store16', 'i32', 1);
store(0x3c, 'i64.store8', 'i64', 0);
store(0x3d, 'i64.store16', 'i64', 1);
store(0x3e, 'i64.store32', 'i64', 2);
add(0x3f, 'memory.size', 'memory', 'memory', '-> i32');
add(0x40, 'memory.grow', 'memory', 'memory', 'i32 -> i32');
misc(8, 'memory.init', 'memory.init', 'memory', 'i32 i32 i32 ->');
misc(9, 'data.drop', 'data', 'memory', '->');
misc(10, 'memory.copy', 'memory.copy', 'memory', 'i32 i32 i32 ->');
misc(11, 'memory.fill', 'memory', 'memory', 'i32 i32 i32 ->');

// Numeric
add(0x41, 'i32.const', 'i32', 'numeric', '-> i32');
add(0x42, 'i64.const', 'i64', 'numeric', '-> i64');
add(0x43, 'f32.const', 'f32', 'numeric', '-> f32');
add(0x44, 'f64.const', 'f64', 'numeric', '-> f64');
numeric(0x45, 'i32 -> i32', ['i32.eqz']);
numeric(0x46, 'i32 i32 -> i32', ['i32.eq', 'i32.ne', 'i32.lt_s', 'i32.lt_u', 'i32.gt_s', 'i32.gt_u', 'i32.le_s', 'i32.le_u', 'i32.ge_s', 'i32.ge_u']);
numeric(0x50, 'i64 -> i32', ['i64.eqz']);
numeric(0x51, 'i64 i64 -> i32', ['i64.eq', 'i64.ne', 'i64.lt_s', 'i64.lt_u', 'i64.gt_s', 'i64.gt_u', 'i64.le_s', 'i64.le_u', 'i64.ge_s', 'i64.ge_u']);
numeric(0x5b, 'f32 f32 -> i32', ['f32.eq', 'f32.ne', 'f32.lt', 'f32.gt', 'f32.le', 'f32.ge']);
numeric(0x61, 'f64 f64 -> i32', ['f64.eq', 'f64.ne', 'f64.lt', 'f64.gt', 'f64.le', 'f64.ge']);
numeric(0x67, 'i32 -> i32', ['i32.clz', 'i32.ctz', 'i32.popcnt']);
const intBinary = ['add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr'];
numeric(0x6a, 'i32 i32 -> i32', intBinary.map((n) => `i32.${n}`));
numeric(0x79, 'i64 -> i64', ['i64.clz', 'i64.ctz', 'i64.popcnt']);
numeric(0x7c, 'i64 i64 -> i64', intBinary.map((n) => `i64.${n}`));
const floatUnary = ['abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt'];
const floatBinary = ['add', 'sub', 'mul', 'div', 'min', 'max', 'copysign'];
numeric(0x8b, 'f32 -> f32', floatUnary.map((n) => `f32.${n}`));
numeric(0x92, 'f32 f32 -> f32', floatBinary.map((n) => `f32.${n}`));
numeric(0x99, 'f64 -> f64', floatUnary.map((n) => `f64.${n}`));
numeric(0xa0, 'f64 f64 -> f64', floatBinary.map((n) => `f64.${n}`));
numeric(0xa7, 'i64 -> i32', ['i32.wrap_i64']);
numeric(0xa8, 'f32 -> i32', ['i32.trunc_f32_s', 'i32.trunc_f32_u']);
numeric(0xaa, 'f64 -> i32', ['i32.trunc_f64_s', 'i32.trunc_f64_u']);
numeric(0xac, 'i32 -> i64', ['i64.extend_i32_s', 'i64.extend_i32_u']);
numeric(0xae, 'f32 -> i64', ['i64.trunc_f32_s', 'i64.trunc_f32_u']);
numeric(0xb0, 'f64 -> i64', ['i64.trunc_f64_s', 'i64.trunc_f64_u']);
numeric(0xb2, 'i32 -> f32', ['f32.convert_i32_s', 'f32.convert_i32_u']);
numeric(0xb4, 'i64 -> f32', ['f32.convert_i64_s', 'f32.convert_i64_u']);
numeric(0xb6, 'f64 -> f32', ['f32.demote_f64']);
numeric(0xb7, 'i32 -> f64', ['f64.convert_i32_s', 'f64.convert_i32_u']);
numeric(0xb9, 'i64 -> f64', ['f64.convert_i64_s', 'f64.convert_i64_u']);
numeric(0xbb, 'f32 -> f64', ['f64.promote_f32']);
numeric(0xbc, 'f32 -> i32', ['i32.reinterpret_f32']);
numeric(0xbd, 'f64 -> i64', ['i64.reinterpret_f64']);
numeric(0xbe, 'i32 -> f32', ['f32.reinterpret_i32']);
numeric(0xbf, 'i64 -> f64', ['f64.reinterpret_i64']);
numeric(0xc0, 'i32 -> i32', ['i32.extend8_s', 'i32.extend16_s']);
numeric(0xc2, 'i64 -> i64', ['i64.extend8_s', 'i64.extend16_s', 'i64.extend32_s']);
misc(0, 'i32.trunc_sat_f32_s', 'none', 'numeric', 'f32 -> i32');
misc(1, 'i32.trunc_sat_f32_u', 'none', 'numeric', 'f32 -> i32');
misc(2, 'i32.trunc_sat_f64_s', 'none', 'numeric', 'f64 -> i32');
misc(3, 'i32.trunc_sat_f64_u', 'none', 'numeric', 'f64 -> i32');
misc(4, 'i64.trunc_sat_f32_s', 'none', 'numeric', 'f32 -> i64');
misc(5, 'i64.trunc_sat_f32_u', 'none', 'numeric', 'f32 -> i64');
misc(6, 'i64.trunc_sat_f64_s', 'none', 'numeric', 'f64 -> i64');
misc(7, 'i64.trunc_sat_f64_u', 'none', 'numeric', 'f64 -> i64');

/** Every instruction, in table order. */
export const opcodes: readonly OpInfo[] = table;

const byByte: (OpInfo | undefined)[] = new Array<OpInfo | undefined>(256).fill(undefined);
const byMisc: (OpInfo | undefined)[] = [];
const byName = new Map<string, OpInfo>();
for (const info of table) {
  if (info.sub === undefined) byByte[info.byte] = info;
  else byMisc[info.sub] = info;
  // The untyped select comes first and keeps the name; see opByName.
  if (!byName.has(info.name)) byName.set(info.name, info);
}

/** The instruction with this single opcode byte (not the 0xFC / 0xFD prefixes). */
export function opByByte(byte: number): OpInfo | undefined {
  return byByte[byte];
}

/** The 0xFC-prefixed instruction with this sub-opcode. */
export function opByMiscCode(sub: number): OpInfo | undefined {
  return byMisc[sub];
}

/**
 * The instruction with this spec name. "select" gives the untyped select (0x1B); an instruction
 * with `types` set is the typed one (0x1C), see `opOfInstr`.
 */
export function opByName(name: string): OpInfo | undefined {
  return byName.get(name);
}

const typedSelect = byByte[0x1c]!;

/** The table entry of a decoded instruction. */
export function opOfInstr(instr: { op: string; types?: unknown }): OpInfo | undefined {
  if (instr.types !== undefined && instr.op === 'select') return typedSelect;
  return byName.get(instr.op);
}
