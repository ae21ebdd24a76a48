// drop and the two selects.
import type { Instr } from '../types.js';
import type { FuncChecker } from './function.js';
import { isNumeric, UNKNOWN } from './type-stack.js';

export function checkParametric(c: FuncChecker, instr: Instr): void {
  const s = c.stack;
  if (instr.op === 'drop') {
    s.pop();
    return;
  }
  if (instr.types !== undefined) {
    // Typed select: Wasm 2.0 allows exactly one type.
    const [type] = instr.types;
    if (instr.types.length !== 1 || type === undefined) c.fail(`invalid result arity: select with ${instr.types.length} types`);
    s.popExpect('i32');
    s.popExpect(type);
    s.popExpect(type);
    s.push(type);
    return;
  }
  // Untyped select works on numeric operands only; references need the typed form.
  s.popExpect('i32');
  const t1 = s.pop();
  const t2 = s.pop();
  if (!isNumeric(t1) || !isNumeric(t2)) c.fail(`type mismatch: select without a type on ${t1 === UNKNOWN ? t2 : t1}`);
  if (t1 !== t2 && t1 !== UNKNOWN && t2 !== UNKNOWN) c.fail(`type mismatch: select between ${t2} and ${t1}`);
  s.push(t1 === UNKNOWN ? t2 : t1);
}
