import { readGlobalType, readMemType, readTableType } from '../read-types.js';
import type { Reader } from '../reader.js';
import type { Import, ImportDesc } from '../types.js';

export function readImportSection(r: Reader): Import[] {
  return r.vec(readImport);
}

function readImport(r: Reader): Import {
  const offset = r.pos;
  const module = r.name();
  const name = r.name();
  return { module, name, desc: readImportDesc(r), offset };
}

function readImportDesc(r: Reader): ImportDesc {
  const offset = r.pos;
  const kind = r.u8();
  switch (kind) {
    case 0x00:
      return { kind: 'func', typeIndex: r.u32() };
    case 0x01:
      return { kind: 'table', table: readTableType(r) };
    case 0x02:
      return { kind: 'memory', memory: readMemType(r) };
    case 0x03:
      return { kind: 'global', global: readGlobalType(r) };
    default:
      return r.fail(`malformed import kind 0x${kind.toString(16)}`, offset);
  }
}
