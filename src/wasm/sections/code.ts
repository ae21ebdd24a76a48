import { readExpression } from '../instructions.js';
import { readValType } from '../read-types.js';
import type { Reader } from '../reader.js';
import type { FuncBody, LocalGroup } from '../types.js';

/**
 * The most locals (parameters not counted) one function may declare. The spec allows up to
 * 2^32 - 1; no real program comes near this cap, and it keeps a hostile module from making the
 * validator and lowering allocate gigabytes.
 */
export const MAX_LOCALS = 50_000;

/**
 * The most locals all the functions of one module may declare together. The cap per function
 * alone still let a few kilobytes of functions, each declaring 50,000 locals, ask lowering for
 * millions of stack slots (minutes of work); a module-wide cap bounds that.
 */
export const MAX_MODULE_LOCALS = 1_000_000;

export interface CodeSectionInput {
  /** Type index of each defined function, from the function section. */
  funcTypes: readonly number[];
  /** Imported functions come first in the function index space. */
  importedFuncs: number;
}

/** The first memory.init or data.drop in the code: they need a data count section. */
export interface DataIndexUse {
  offset: number;
  func: number;
}

export interface CodeSection {
  bodies: FuncBody[];
  dataIndexUse?: DataIndexUse;
}

export function readCodeSection(r: Reader, input: CodeSectionInput): CodeSection {
  const start = r.pos;
  const count = r.u32();
  if (count !== input.funcTypes.length) {
    r.fail(`function and code section have inconsistent lengths (${input.funcTypes.length} functions, ${count} bodies)`, start);
  }
  const bodies: FuncBody[] = [];
  let dataIndexUse: DataIndexUse | undefined;
  const budget = { left: MAX_MODULE_LOCALS };
  for (let i = 0; i < count; i++) {
    const func = input.importedFuncs + i;
    r.func = func;
    const onDataIndex = dataIndexUse === undefined ? (offset: number) => (dataIndexUse ??= { offset, func }) : undefined;
    bodies.push(readFuncBody(r, input.funcTypes[i]!, onDataIndex, budget));
  }
  r.func = undefined;
  return { bodies, dataIndexUse };
}

function readFuncBody(r: Reader, typeIndex: number, onDataIndex: ((offset: number) => void) | undefined, budget: { left: number }): FuncBody {
  const sizeOffset = r.pos;
  const size = r.u32();
  if (size > r.remaining()) r.fail('unexpected end of section or function', sizeOffset);
  const offset = r.pos;
  const sectionEnd = r.end;
  r.end = offset + size;
  const locals = readLocals(r, budget);
  const body = readExpression(r, onDataIndex);
  if (r.pos !== r.end) r.fail('section size mismatch (bytes after the function\'s final end)', r.pos);
  r.end = sectionEnd;
  return { typeIndex, locals, body, offset, size };
}

function readLocals(r: Reader, budget: { left: number }): LocalGroup[] {
  const groups = r.vecLength();
  const locals: LocalGroup[] = [];
  let total = 0;
  for (let i = 0; i < groups; i++) {
    const offset = r.pos;
    const count = r.u32();
    total += count;
    if (total > MAX_LOCALS) r.fail(`too many locals (more than ${MAX_LOCALS})`, offset);
    budget.left -= count;
    if (budget.left < 0) r.fail(`too many locals in the module (more than ${MAX_MODULE_LOCALS} in all its functions)`, offset);
    locals.push({ count, type: readValType(r) });
  }
  return locals;
}
