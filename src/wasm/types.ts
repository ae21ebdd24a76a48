// The decoded form of a WebAssembly 2.0 module, handed from the decoder to the validator and on to
// lowering. Names follow the spec. Every instruction keeps the byte offset of its opcode so that
// errors and debug locations point back into the .wasm file.

export type NumType = 'i32' | 'i64' | 'f32' | 'f64';
export type RefType = 'funcref' | 'externref';
export type ValType = NumType | 'v128' | RefType;

export interface FuncType {
  params: readonly ValType[];
  results: readonly ValType[];
}

export type BlockType =
  | { kind: 'empty' }
  | { kind: 'value'; type: ValType }
  | { kind: 'func'; typeIndex: number };

export interface Limits {
  min: number;
  max?: number;
}

export interface TableType {
  elem: RefType;
  limits: Limits;
}

/**
 * Limits in pages of 2^pageSizeLog2 bytes: 16 (64 KiB) unless the module declares a custom page
 * size (the custom-page-sizes proposal; only 0, one byte, is valid besides 16).
 */
export interface MemType {
  limits: Limits;
  pageSizeLog2: number;
}

/** The standard page: 64 KiB. */
export const defaultPageSizeLog2 = 16;

/** Bytes in `pages` pages of a memory type (exact below 2^53). */
export const memoryBytes = (type: MemType, pages: number): number => pages * 2 ** type.pageSizeLog2;

export interface GlobalType {
  type: ValType;
  mutable: boolean;
}

export type ExternKind = 'func' | 'table' | 'memory' | 'global';

export type ImportDesc =
  | { kind: 'func'; typeIndex: number }
  | { kind: 'table'; table: TableType }
  | { kind: 'memory'; memory: MemType }
  | { kind: 'global'; global: GlobalType };

export interface Import {
  module: string;
  name: string;
  desc: ImportDesc;
  offset: number;
}

export interface Export {
  name: string;
  kind: ExternKind;
  index: number;
  offset: number;
}

export interface MemArg {
  /** log2 of the alignment hint. */
  align: number;
  offset: number;
  /** Memory index (always 0 in Wasm 2.0). */
  memory: number;
}

/**
 * One instruction. `op` is the spec's text name ("i32.load", "br_table", "memory.fill").
 * Only the immediates the opcode has are set.
 */
export interface Instr {
  op: string;
  /** Byte offset of the opcode (its prefix byte, for 0xFC / 0xFD ops) in the module. */
  offset: number;
  /** local, global, func, type, table, label (br, br_if), elem, data index; br_table's default. */
  index?: number;
  /** A second index: call_indirect's table, table.copy's source table, table.init's table. */
  index2?: number;
  memarg?: MemArg;
  /** i32.const: a signed 32-bit number. i64.const: a signed bigint. */
  value?: number | bigint;
  /** f32.const: the raw IEEE bits as an unsigned 32-bit number; f64.const: raw bits as bigint. */
  bits?: number | bigint;
  /** br_table's targets, without the default (which is `index`). */
  labels?: readonly number[];
  blockType?: BlockType;
  /** select's explicit result types (typed select), ref.null's type in `refType`. */
  types?: readonly ValType[];
  refType?: RefType;
}

/** A constant expression (global initialisers, segment offsets, element items), without its `end`. */
export type ConstExpr = readonly Instr[];

export interface LocalGroup {
  count: number;
  type: ValType;
}

export interface FuncBody {
  /** Index of the function type. */
  typeIndex: number;
  locals: readonly LocalGroup[];
  /** The body's instructions, including the final `end`. */
  body: readonly Instr[];
  /** Offset and size of the body in the code section. */
  offset: number;
  size: number;
}

export interface Global {
  type: GlobalType;
  init: ConstExpr;
  offset: number;
}

export interface ElemSegment {
  mode: 'active' | 'passive' | 'declarative';
  /** For active segments. */
  table: number;
  offsetExpr?: ConstExpr;
  type: RefType;
  /** One constant expression per element (ref.func i / ref.null t / global.get g). */
  items: readonly ConstExpr[];
  offset: number;
}

export interface DataSegment {
  mode: 'active' | 'passive';
  memory: number;
  offsetExpr?: ConstExpr;
  bytes: Uint8Array;
  offset: number;
}

/** Where a section sits in the file, for error locations that have no entry of their own. */
export interface SectionInfo {
  /** Section id: 0 custom, 1 type, ... 12 data count. */
  id: number;
  /** "type", "import", ..., "data count"; a custom section's own name. */
  name: string;
  /** Offset of the section's first content byte, after its id and size. */
  offset: number;
  /** Size of the contents in bytes. */
  size: number;
}

export interface WasmModule {
  /** The file the module came from, for error locations. */
  file: string;
  types: readonly FuncType[];
  imports: readonly Import[];
  /** Type index of each function the module defines (imports not included). */
  funcTypes: readonly number[];
  /** Bodies of the defined functions, in the same order as funcTypes. */
  codes: readonly FuncBody[];
  tables: readonly TableType[];
  memories: readonly MemType[];
  globals: readonly Global[];
  exports: readonly Export[];
  start?: number;
  elems: readonly ElemSegment[];
  datas: readonly DataSegment[];
  dataCount?: number;
  /** Function names from the "name" custom section, when present and well formed. */
  funcNames: ReadonlyMap<number, string>;
  /** Custom sections ignored because they are not well formed (the spec ignores a malformed name section), to warn about. */
  ignoredSections?: readonly { name: string; offset: number; reason: string }[];
  /** The DWARF custom sections a line table is read from (".debug_line", its strings, ".debug_info" for directories), by name. */
  debugSections?: ReadonlyMap<string, Uint8Array>;
  /** Every section in file order (custom ones included), when decoded from a file. */
  sections?: readonly SectionInfo[];
}
