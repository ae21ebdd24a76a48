import { readConstExpr } from '../instructions.js';
import { readRefType } from '../read-types.js';
import type { Reader } from '../reader.js';
import type { ConstExpr, ElemSegment, RefType } from '../types.js';

export function readElementSection(r: Reader): ElemSegment[] {
  return r.vec(readElemSegment);
}

// The flags' three bits: bit 0 passive or declarative (else active); bit 1 declarative, or for
// an active segment an explicit table index; bit 2 items are expressions (else function indices).
function readElemSegment(r: Reader): ElemSegment {
  const offset = r.pos;
  const flags = r.u32();
  if (flags > 7) r.fail(`malformed elements segment kind ${flags}`, offset);
  const mode = (flags & 1) === 0 ? 'active' : (flags & 2) === 0 ? 'passive' : 'declarative';
  const table = (flags & 3) === 2 ? r.u32() : 0;
  const offsetExpr = mode === 'active' ? readConstExpr(r) : undefined;
  const usesExprs = (flags & 4) !== 0;
  // Forms 0 and 4 imply funcref; the others say the type (an expression segment) or the
  // element kind (a function index segment, where only 0x00 = funcref exists).
  let type: RefType = 'funcref';
  if ((flags & 3) !== 0) {
    if (usesExprs) type = readRefType(r);
    else readElemKind(r);
  }
  const items = r.vec(usesExprs ? readConstExpr : readFuncIndexItem);
  return { mode, table, offsetExpr, type, items, offset };
}

function readElemKind(r: Reader): void {
  const offset = r.pos;
  const kind = r.u8();
  if (kind !== 0x00) r.fail(`malformed element kind 0x${kind.toString(16)}`, offset);
}

/** A bare function index becomes the item `ref.func i` (at the index's offset), so all segments look alike. */
function readFuncIndexItem(r: Reader): ConstExpr {
  const offset = r.pos;
  return [{ op: 'ref.func', offset, index: r.u32() }];
}
