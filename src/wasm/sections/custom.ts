// Custom sections never make a module malformed, except for their own framing (a name that runs
// past the section or is not UTF-8). Of their contents bento reads only the function names of the
// "name" section, and ignores that section when it is not well formed.
import { BentoError } from '../../diagnostics/error.js';
import type { Reader } from '../reader.js';

const FUNCTION_NAMES = 1;

/** Reads the custom section's name; the caller skips or reads the rest. */
export function readCustomSectionName(r: Reader): string {
  return r.name();
}

/** Function names of a "name" section, or why the section is ignored (it is not well formed) and where. */
export function readFunctionNames(r: Reader): { names: Map<number, string> } | { problem: string; offset: number } {
  try {
    return { names: readNameSubsections(r) };
  } catch (error) {
    if (!(error instanceof BentoError)) throw error;
    const where = error.diagnostics[0]?.location;
    return { problem: error.diagnostics[0]?.message ?? 'malformed', offset: where && 'offset' in where && typeof where.offset === 'number' ? where.offset : r.pos };
  }
}

function readNameSubsections(r: Reader): Map<number, string> {
  const names = new Map<number, string>();
  let lastId = -1;
  while (r.remaining() > 0) {
    const id = r.u8();
    const size = r.u32();
    if (id <= lastId || size > r.remaining()) r.fail('malformed name section');
    lastId = id;
    const end = r.pos + size;
    if (id === FUNCTION_NAMES) {
      const sectionEnd = r.end;
      r.end = end;
      readNameMap(r, names);
      if (r.pos !== end) r.fail('malformed name section');
      r.end = sectionEnd;
    }
    r.pos = end;
  }
  return names;
}

/** A name map: function indices in increasing order, each with its name. */
function readNameMap(r: Reader, names: Map<number, string>): void {
  const count = r.vecLength();
  let last = -1;
  for (let i = 0; i < count; i++) {
    const index = r.u32();
    if (index <= last) r.fail('malformed name section');
    last = index;
    names.set(index, r.name());
  }
}
