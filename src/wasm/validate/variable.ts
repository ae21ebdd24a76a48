// Locals and globals.
import type { GlobalType, Instr, ValType } from '../types.js';
import type { FuncChecker } from './function.js';

export function checkVariable(c: FuncChecker, instr: Instr): void {
  const s = c.stack;
  const index = instr.index!;
  switch (instr.op) {
    case 'local.get':
      s.push(local(c, index));
      return;
    case 'local.set':
      s.popExpect(local(c, index));
      return;
    case 'local.tee': {
      const type = local(c, index);
      s.popExpect(type);
      s.push(type);
      return;
    }
    case 'global.get':
      s.push(global(c, index).type);
      return;
    case 'global.set': {
      const g = global(c, index);
      if (!g.mutable) c.fail(`global is immutable: global ${index}`);
      s.popExpect(g.type);
      return;
    }
    default:
      throw new Error(`validator: no rule for variable instruction '${instr.op}'`);
  }
}

function local(c: FuncChecker, index: number): ValType {
  const type = c.local(index);
  if (type === undefined) c.fail(`unknown local ${index}`);
  return type;
}

function global(c: FuncChecker, index: number): GlobalType {
  const type = c.ctx.globals[index];
  if (type === undefined) c.fail(`unknown global ${index}`);
  return type;
}
