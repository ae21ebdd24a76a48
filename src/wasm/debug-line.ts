// The DWARF line table of a module (its ".debug_line" custom section, versions 2 to 5, as clang
// writes it for C built with -g): which source line each code offset comes from. In Wasm, DWARF
// addresses are offsets from the start of the code section's contents. Like the name section,
// debug information never makes a module unusable: a table that cannot be read is left out.
import { posix } from 'node:path';
import { DwarfBytes, MalformedDwarf, stringAt } from './dwarf-bytes.js';

/** One row: code offsets from `address` up to the next row's come from `file:line:column`. */
export interface LineRow {
  address: number;
  file: string;
  line: number;
  column: number;
}

/** Rows of every sequence; each sequence ends in a row of line 0, which covers nothing. */
export interface LineTable {
  /** Sorted by address. A row with line 0 marks code of no source line (a sequence's end, or line 0). */
  rows: readonly LineRow[];
}

// DW_FORM_* values the line table header of DWARF 5 uses.
const FORM = { block: 0x09, data1: 0x0b, data2: 0x05, data4: 0x06, data8: 0x07, data16: 0x1e, string: 0x08, strp: 0x0e, lineStrp: 0x1f, udata: 0x0f } as const;
const LNCT = { path: 1, directoryIndex: 2 } as const;

interface Sections {
  line: Uint8Array;
  str?: Uint8Array;
  lineStr?: Uint8Array;
  /** Each line program's compilation directory, by its offset (see dwarf-units.ts): relative paths are joined to it. */
  compDirs?: ReadonlyMap<number, string>;
}

/**
 * Reads every line program of the ".debug_line" section. Undefined when the section is not
 * well formed (or uses what this reader does not know: 64-bit DWARF, an address size other than 4).
 */
export function readLineTable(sections: Sections): LineTable | undefined {
  const rows: LineRow[] = [];
  try {
    const r = new DwarfBytes(sections.line, 0, sections.line.length);
    while (r.pos < sections.line.length) readLineProgram(r, sections, rows);
  } catch (error) {
    if (error instanceof MalformedDwarf) return undefined;
    throw error;
  }
  // At one address, a sequence's end goes before the next sequence's first row.
  rows.sort((a, b) => a.address - b.address || Number(b.line === 0) - Number(a.line === 0));
  return { rows };
}

function readLineProgram(r: DwarfBytes, sections: Sections, rows: LineRow[]): void {
  const compDir = sections.compDirs?.get(r.pos) ?? '';
  const unitLength = r.fixed(4);
  if (unitLength >= 0xffff_fff0) throw new MalformedDwarf('64-bit DWARF');
  const unitEnd = r.pos + unitLength;
  if (unitEnd > sections.line.length) throw new MalformedDwarf('line program runs past its section');
  const outerEnd = r.end;
  r.end = unitEnd;
  const version = r.fixed(2);
  if (version < 2 || version > 5) throw new MalformedDwarf(`line table version ${version}`);
  if (version >= 5) {
    const addressSize = r.u8();
    r.u8(); // segment selector size
    if (addressSize !== 4) throw new MalformedDwarf(`address size ${addressSize}`);
  }
  const headerLength = r.fixed(4);
  const programStart = r.pos + headerLength;
  const minInstLength = r.u8();
  if (version >= 4) r.u8(); // maximum operations per instruction (1 outside VLIW)
  r.u8(); // default_is_stmt: every row counts here, statement or not
  const lineBase = (r.u8() << 24) >> 24;
  const lineRange = r.u8();
  const opcodeBase = r.u8();
  if (lineRange === 0) throw new MalformedDwarf('line range 0');
  const opcodeLengths = [0];
  for (let i = 1; i < opcodeBase; i++) opcodeLengths.push(r.u8());
  const files = (version >= 5 ? readEntries5(r, sections) : readEntries4(r)).map((f) => joinPath(compDir, f));
  r.pos = programStart;
  runProgram(r, { minInstLength, lineBase, lineRange, opcodeBase, opcodeLengths, version }, files, rows);
  r.pos = unitEnd;
  r.end = outerEnd;
}

/** DWARF 2-4: include directories then file entries, each list ended by an empty string; indices from 1 (0: the compilation directory). */
function readEntries4(r: DwarfBytes): string[] {
  const dirs = [''];
  for (let d = r.cstring(); d !== ''; d = r.cstring()) dirs.push(d);
  const files = [''];
  for (let f = r.cstring(); f !== ''; f = r.cstring()) {
    const dir = r.uleb();
    r.uleb(); // modification time
    r.uleb(); // length
    files.push(joinPath(dirs[dir] ?? '', f));
  }
  return files;
}

/** DWARF 5: directory and file entries described by (content type, form) pairs; indices from 0. */
function readEntries5(r: DwarfBytes, sections: Sections): string[] {
  const readList = (): { path: string; dir: number }[] => {
    const formatCount = r.u8();
    const format: [number, number][] = [];
    for (let i = 0; i < formatCount; i++) format.push([r.uleb(), r.uleb()]);
    const count = r.uleb();
    const entries = [];
    for (let i = 0; i < count; i++) {
      const entry = { path: '', dir: 0 };
      for (const [type, form] of format) {
        const value = readForm(r, form, sections);
        if (type === LNCT.path) entry.path = String(value);
        else if (type === LNCT.directoryIndex) entry.dir = Number(value);
      }
      entries.push(entry);
    }
    return entries;
  };
  // Directory 0 is the compilation directory; the others may be relative to it.
  const dirs = readList().map((d, i, all) => (i === 0 ? d.path : joinPath(all[0]!.path, d.path)));
  return readList().map((f) => joinPath(dirs[f.dir] ?? '', f.path));
}

function readForm(r: DwarfBytes, form: number, sections: Sections): string | number {
  switch (form) {
    case FORM.string:
      return r.cstring();
    case FORM.strp:
      return stringAt(sections.str, r.fixed(4));
    case FORM.lineStrp:
      return stringAt(sections.lineStr, r.fixed(4));
    case FORM.udata:
      return r.uleb();
    case FORM.data1:
      return r.u8();
    case FORM.data2:
      return r.fixed(2);
    case FORM.data4:
      return r.fixed(4);
    case FORM.data8:
      r.skip(8);
      return 0;
    case FORM.data16:
      r.skip(16);
      return 0;
    case FORM.block:
      r.skip(r.uleb());
      return 0;
    default:
      throw new MalformedDwarf(`form 0x${form.toString(16)} in a line table header`);
  }
}

function joinPath(dir: string, file: string): string {
  return dir === '' || file.startsWith('/') ? file : posix.join(dir, file);
}

interface Header {
  minInstLength: number;
  lineBase: number;
  lineRange: number;
  opcodeBase: number;
  opcodeLengths: number[];
  version: number;
}

// Standard and extended opcodes (DW_LNS_*, DW_LNE_*).
const LNS = { copy: 1, advancePc: 2, advanceLine: 3, setFile: 4, setColumn: 5, negateStmt: 6, setBasicBlock: 7, constAddPc: 8, fixedAdvancePc: 9 } as const;
const LNE = { endSequence: 1, setAddress: 2 } as const;

/** The line-number state machine; appends a row per emitted row, and a line-0 row at each sequence's end. */
function runProgram(r: DwarfBytes, h: Header, files: string[], rows: LineRow[]): void {
  const firstFile = h.version >= 5 ? 0 : 1;
  let address = 0;
  let file = firstFile;
  let line = 1;
  let column = 0;
  const reset = () => {
    address = 0;
    file = firstFile;
    line = 1;
    column = 0;
  };
  const emit = (end = false) => rows.push({ address, file: end ? '' : (files[file] ?? ''), line: end ? 0 : line, column: end ? 0 : column });
  while (r.pos < r.end) {
    const op = r.u8();
    if (op >= h.opcodeBase) {
      const adjusted = op - h.opcodeBase;
      address += Math.floor(adjusted / h.lineRange) * h.minInstLength;
      line += h.lineBase + (adjusted % h.lineRange);
      emit();
      continue;
    }
    switch (op) {
      case 0: {
        const length = r.uleb();
        const end = r.pos + length;
        const sub = length > 0 ? r.u8() : 0;
        if (sub === LNE.endSequence) {
          emit(true);
          reset();
        } else if (sub === LNE.setAddress) {
          address = r.fixed(length - 1);
        }
        r.pos = end;
        break;
      }
      case LNS.copy:
        emit();
        break;
      case LNS.advancePc:
        address += r.uleb() * h.minInstLength;
        break;
      case LNS.advanceLine:
        line += r.sleb();
        break;
      case LNS.setFile:
        file = r.uleb();
        break;
      case LNS.setColumn:
        column = r.uleb();
        break;
      case LNS.constAddPc:
        address += Math.floor((255 - h.opcodeBase) / h.lineRange) * h.minInstLength;
        break;
      case LNS.fixedAdvancePc:
        address += r.fixed(2);
        break;
      case LNS.negateStmt:
      case LNS.setBasicBlock:
        break;
      default:
        // An opcode this reader does not know: skip its operands, as the header says how many.
        for (let i = 0; i < (h.opcodeLengths[op] ?? 0); i++) r.uleb();
    }
  }
}

/**
 * The row covering each offset of `offsets` (ascending code-section offsets), or undefined where
 * the table says nothing or says line 0. A sequence of a function the linker dropped (its
 * address a tombstone past the code) covers nothing.
 */
export function rowsAt(table: LineTable, offsets: readonly number[]): (LineRow | undefined)[] {
  const rows = table.rows;
  // The last row at or before the offset: binary search for the first, then walk forward.
  let i = upperBound(rows, offsets[0] ?? 0) - 1;
  return offsets.map((offset) => {
    while (i + 1 < rows.length && rows[i + 1]!.address <= offset) i++;
    const row = rows[i];
    return row && row.line > 0 ? row : undefined;
  });
}

function upperBound(rows: readonly LineRow[], address: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid]!.address <= address) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
