import type { Reader } from '../reader.js';
import type { Export, ExternKind } from '../types.js';

const kinds: readonly ExternKind[] = ['func', 'table', 'memory', 'global'];

export function readExportSection(r: Reader): Export[] {
  return r.vec(readExport);
}

function readExport(r: Reader): Export {
  const offset = r.pos;
  const name = r.name();
  const kindOffset = r.pos;
  const kind = kinds[r.u8()];
  if (kind === undefined) r.fail('malformed export kind', kindOffset);
  return { name, kind, index: r.u32(), offset };
}
