import { readConstExpr } from '../instructions.js';
import type { Reader } from '../reader.js';
import type { DataSegment } from '../types.js';

export function readDataSection(r: Reader): DataSegment[] {
  return r.vec(readDataSegment);
}

// Flags: 0 active in memory 0, 1 passive, 2 active with an explicit memory index.
function readDataSegment(r: Reader): DataSegment {
  const offset = r.pos;
  const flags = r.u32();
  if (flags > 2) r.fail(`malformed data segment kind ${flags}`, offset);
  if (flags === 1) return { mode: 'passive', memory: 0, bytes: readBytes(r), offset };
  const memory = flags === 2 ? r.u32() : 0;
  const offsetExpr = readConstExpr(r);
  return { mode: 'active', memory, offsetExpr, bytes: readBytes(r), offset };
}

/** A copy, so the module does not keep the whole input file alive through its data. */
function readBytes(r: Reader): Uint8Array {
  return r.byteVector().slice();
}
