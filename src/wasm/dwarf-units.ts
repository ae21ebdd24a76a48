// The compilation directory of each DWARF compile unit of a module (".debug_info" with its
// ".debug_abbrev"), by the offset of the unit's line program: a line table's relative paths are
// relative to it. Only the first entry of each unit (the DW_TAG_compile_unit) is read.
import { DwarfBytes, MalformedDwarf, stringAt } from './dwarf-bytes.js';

export interface UnitSections {
  info: Uint8Array;
  abbrev: Uint8Array;
  str?: Uint8Array;
  lineStr?: Uint8Array;
  strOffsets?: Uint8Array;
}

const AT = { stmtList: 0x10, compDir: 0x1b, strOffsetsBase: 0x72 } as const;
const FORM = {
  addr: 0x01, block2: 0x03, block4: 0x04, data2: 0x05, data4: 0x06, data8: 0x07, string: 0x08, block: 0x09, block1: 0x0a,
  data1: 0x0b, flag: 0x0c, sdata: 0x0d, strp: 0x0e, udata: 0x0f, refAddr: 0x10, ref1: 0x11, ref2: 0x12, ref4: 0x13, ref8: 0x14,
  refUdata: 0x15, indirect: 0x16, secOffset: 0x17, exprloc: 0x18, flagPresent: 0x19, strx: 0x1a, addrx: 0x1b, refSup4: 0x1c,
  strpSup: 0x1d, data16: 0x1e, lineStrp: 0x1f, refSig8: 0x20, implicitConst: 0x21, loclistx: 0x22, rnglistx: 0x23, refSup8: 0x24,
  strx1: 0x25, strx2: 0x26, strx3: 0x27, strx4: 0x28, addrx1: 0x29, addrx2: 0x2a, addrx3: 0x2b, addrx4: 0x2c,
} as const;

/** Compilation directories by line program offset; empty when ".debug_info" cannot be read. */
export function readCompDirs(s: UnitSections): Map<number, string> {
  const dirs = new Map<number, string>();
  try {
    const r = new DwarfBytes(s.info, 0, s.info.length);
    while (r.pos < s.info.length) {
      const unit = readUnit(r, s);
      if (unit.stmtList !== undefined && unit.compDir !== undefined) dirs.set(unit.stmtList, unit.compDir);
    }
  } catch (error) {
    if (error instanceof MalformedDwarf) return new Map();
    throw error;
  }
  return dirs;
}

type Value = { form: number; value: number | string };

function readUnit(r: DwarfBytes, s: UnitSections): { stmtList?: number; compDir?: string } {
  const length = r.fixed(4);
  if (length >= 0xffff_fff0) throw new MalformedDwarf('64-bit DWARF');
  const end = r.pos + length;
  const version = r.fixed(2);
  let addressSize: number;
  let abbrevOffset: number;
  if (version >= 5) {
    r.u8(); // unit type
    addressSize = r.u8();
    abbrevOffset = r.fixed(4);
  } else {
    abbrevOffset = r.fixed(4);
    addressSize = r.u8();
  }
  const code = r.uleb();
  const attributes = abbreviation(s.abbrev, abbrevOffset, code);
  const values = new Map<number, Value>();
  for (const [name, form, implicit] of attributes) values.set(name, readValue(r, form, implicit, addressSize, version));
  r.pos = end;
  const stmtList = values.get(AT.stmtList)?.value;
  const compDir = values.get(AT.compDir);
  const base = Number(values.get(AT.strOffsetsBase)?.value ?? 8);
  return {
    stmtList: typeof stmtList === 'number' ? stmtList : undefined,
    compDir: compDir === undefined ? undefined : stringOf(compDir, s, base),
  };
}

/** An attribute's string, following strp, line_strp and strx forms into their sections. */
function stringOf(v: Value, s: UnitSections, strOffsetsBase: number): string | undefined {
  if (typeof v.value === 'string') return v.value;
  if (v.form === FORM.strp) return stringAt(s.str, v.value);
  if (v.form === FORM.lineStrp) return stringAt(s.lineStr, v.value);
  if ([FORM.strx, FORM.strx1, FORM.strx2, FORM.strx3, FORM.strx4].includes(v.form as 0x1a)) {
    if (!s.strOffsets) throw new MalformedDwarf('strx without .debug_str_offsets');
    const r = new DwarfBytes(s.strOffsets, strOffsetsBase + v.value * 4, s.strOffsets.length);
    return stringAt(s.str, r.fixed(4));
  }
  return undefined;
}

/** The (attribute, form, implicit constant) list of abbreviation `code` in the table at `offset`. */
function abbreviation(abbrev: Uint8Array, offset: number, code: number): [number, number, number][] {
  const r = new DwarfBytes(abbrev, offset, abbrev.length);
  for (;;) {
    const c = r.uleb();
    if (c === 0) throw new MalformedDwarf(`abbreviation ${code} missing`);
    r.uleb(); // tag
    r.u8(); // has children
    const attributes: [number, number, number][] = [];
    for (;;) {
      const name = r.uleb();
      const form = r.uleb();
      if (name === 0 && form === 0) break;
      attributes.push([name, form, form === FORM.implicitConst ? r.sleb() : 0]);
    }
    if (c === code) return attributes;
  }
}

function readValue(r: DwarfBytes, form: number, implicit: number, addressSize: number, version: number): Value {
  const v = (value: number | string): Value => ({ form, value });
  switch (form) {
    case FORM.addr: return v(r.fixed(addressSize));
    case FORM.block1: r.skip(r.u8()); return v(0);
    case FORM.block2: r.skip(r.fixed(2)); return v(0);
    case FORM.block4: r.skip(r.fixed(4)); return v(0);
    case FORM.block:
    case FORM.exprloc: r.skip(r.uleb()); return v(0);
    case FORM.data1:
    case FORM.ref1:
    case FORM.flag:
    case FORM.strx1:
    case FORM.addrx1: return v(r.u8());
    case FORM.data2:
    case FORM.ref2:
    case FORM.strx2:
    case FORM.addrx2: return v(r.fixed(2));
    case FORM.strx3:
    case FORM.addrx3: return v(r.fixed(3));
    case FORM.data4:
    case FORM.ref4:
    case FORM.strp:
    case FORM.lineStrp:
    case FORM.secOffset:
    case FORM.strx4:
    case FORM.addrx4:
    case FORM.refSup4:
    case FORM.strpSup: return v(r.fixed(4));
    case FORM.refAddr: return v(r.fixed(version <= 2 ? addressSize : 4));
    case FORM.data8:
    case FORM.ref8:
    case FORM.refSig8:
    case FORM.refSup8: r.skip(8); return v(0);
    case FORM.data16: r.skip(16); return v(0);
    case FORM.string: return v(r.cstring());
    case FORM.sdata: return v(r.sleb());
    case FORM.udata:
    case FORM.refUdata:
    case FORM.strx:
    case FORM.addrx:
    case FORM.loclistx:
    case FORM.rnglistx: return v(r.uleb());
    case FORM.flagPresent: return v(1);
    case FORM.implicitConst: return v(implicit);
    case FORM.indirect: return readValue(r, r.uleb(), implicit, addressSize, version);
    default: throw new MalformedDwarf(`form 0x${form.toString(16)}`);
  }
}
