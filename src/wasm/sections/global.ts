import { readConstExpr } from '../instructions.js';
import { readGlobalType } from '../read-types.js';
import type { Reader } from '../reader.js';
import type { Global } from '../types.js';

export function readGlobalSection(r: Reader): Global[] {
  return r.vec(readGlobal);
}

function readGlobal(r: Reader): Global {
  const offset = r.pos;
  const type = readGlobalType(r);
  return { type, init: readConstExpr(r), offset };
}
