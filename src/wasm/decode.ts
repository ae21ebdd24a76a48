// Binary module -> WasmModule. Checks everything the spec calls malformed (B3001) and rejects SIMD
// (B3003); typing and index checks are left to validate/.
import { Reader } from './reader.js';
import { readMemType, readTableType } from './read-types.js';
import { readCodeSection, type DataIndexUse } from './sections/code.js';
import { readCustomSectionName, readFunctionNames } from './sections/custom.js';
import { readDataSection } from './sections/data.js';
import { readElementSection } from './sections/element.js';
import { readExportSection } from './sections/export.js';
import { readGlobalSection } from './sections/global.js';
import { readImportSection } from './sections/import.js';
import { readTypeSection } from './sections/type.js';
import type { SectionInfo, WasmModule } from './types.js';

const MAGIC = [0x00, 0x61, 0x73, 0x6d]; // "\0asm"
const VERSION = [0x01, 0x00, 0x00, 0x00];

const sectionNames = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'data count'];
const DATA_COUNT_ID = 12;
/** Where each section id (by index) must come in the module; data count goes before code. */
const sectionRank = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10];

/** Custom sections kept for the DWARF line table (src/wasm/debug-line.ts) and its units' directories (dwarf-units.ts). */
const debugSectionNames = new Set(['.debug_line', '.debug_str', '.debug_line_str', '.debug_info', '.debug_abbrev', '.debug_str_offsets']);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function decodeModule(bytes: Uint8Array, file: string): WasmModule {
  const r = new Reader(bytes, file);
  readHeader(r);
  const module: Mutable<WasmModule> = {
    file,
    types: [],
    imports: [],
    funcTypes: [],
    codes: [],
    tables: [],
    memories: [],
    globals: [],
    exports: [],
    elems: [],
    datas: [],
    funcNames: new Map(),
  };
  const sections: SectionInfo[] = [];
  let lastRank = 0;
  let sawCode = false;
  let sawData = false;
  let dataIndexUse: DataIndexUse | undefined;
  while (r.pos < bytes.length) {
    const idOffset = r.pos;
    r.where = 'module';
    const id = r.u8();
    if (id >= sectionNames.length) r.fail(`malformed section id ${id}`, idOffset);
    const name = sectionNames[id]!;
    const size = r.u32();
    if (size > r.remaining()) r.fail(`length out of bounds: section ${name} of ${size} bytes runs past the end`, idOffset);
    if (id !== 0) {
      const rank = sectionRank[id]!;
      if (rank === lastRank) r.fail(`unexpected content after last section: duplicate ${name} section`, idOffset);
      if (rank < lastRank) r.fail(`unexpected content after last section: ${name} section out of order`, idOffset);
      lastRank = rank;
    }
    const start = r.pos;
    const end = start + size;
    r.end = end;
    r.where = `section ${name}`;
    switch (id) {
      case 0: {
        const customName = readCustomSectionName(r);
        sections.push({ id, name: customName, offset: start, size });
        if (customName === 'name') {
          const read = readFunctionNames(r);
          if ('names' in read) module.funcNames = read.names;
          else module.ignoredSections = [...(module.ignoredSections ?? []), { name: customName, offset: read.offset, reason: read.problem }];
        }
        if (debugSectionNames.has(customName)) module.debugSections = new Map([...(module.debugSections ?? []), [customName, bytes.subarray(r.pos, end)]]);
        r.end = bytes.length;
        r.pos = end;
        continue;
      }
      case 1:
        module.types = readTypeSection(r);
        break;
      case 2:
        module.imports = readImportSection(r);
        break;
      case 3:
        module.funcTypes = r.vec((reader) => reader.u32());
        break;
      case 4:
        module.tables = r.vec(readTableType);
        break;
      case 5:
        module.memories = r.vec(readMemType);
        break;
      case 6:
        module.globals = readGlobalSection(r);
        break;
      case 7:
        module.exports = readExportSection(r);
        break;
      case 8:
        module.start = r.u32();
        break;
      case 9:
        module.elems = readElementSection(r);
        break;
      case 10: {
        const importedFuncs = module.imports.filter((i) => i.desc.kind === 'func').length;
        const code = readCodeSection(r, { funcTypes: module.funcTypes, importedFuncs });
        module.codes = code.bodies;
        dataIndexUse = code.dataIndexUse;
        sawCode = true;
        break;
      }
      case 11:
        module.datas = readDataSection(r);
        sawData = true;
        if (module.dataCount !== undefined && module.dataCount !== module.datas.length) {
          r.fail(`data count and data section have inconsistent lengths (${module.dataCount} and ${module.datas.length})`, start);
        }
        break;
      case DATA_COUNT_ID:
        module.dataCount = r.u32();
        break;
    }
    if (r.pos !== end) r.fail(`section size mismatch: section ${name} declares ${size} bytes, its contents end at +${r.pos - start}`, r.pos);
    sections.push({ id, name, offset: start, size });
    r.end = bytes.length;
  }
  r.where = 'module';
  if (!sawCode && module.funcTypes.length > 0) {
    r.fail(`function and code section have inconsistent lengths (${module.funcTypes.length} functions, no code section)`, bytes.length);
  }
  if (!sawData && module.dataCount !== undefined && module.dataCount !== 0) {
    r.fail(`data count and data section have inconsistent lengths (${module.dataCount} and no data section)`, bytes.length);
  }
  // The spec requires a data count section wherever code names a data segment. wabt omits the
  // section in modules without data segments; there the index is simply unknown, which the
  // validator reports (the module is rejected either way).
  if (dataIndexUse !== undefined && module.dataCount === undefined && sawData) {
    r.where = 'section code';
    r.func = dataIndexUse.func;
    r.fail('data count section required (memory.init and data.drop need one)', dataIndexUse.offset);
  }
  module.sections = sections;
  return module;
}

function readHeader(r: Reader): void {
  if (r.bytes.length < 4) r.fail('unexpected end (no magic header)', 0);
  if (!MAGIC.every((b, i) => r.bytes[i] === b)) r.fail('magic header not detected', 0);
  if (r.bytes.length < 8) r.fail('unexpected end (no version)', 4);
  if (!VERSION.every((b, i) => r.bytes[4 + i] === b)) r.fail('unknown binary version', 4);
  r.pos = 8;
}
