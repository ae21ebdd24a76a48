// Table and reference instructions: their operand types follow the table's reference type.
import type { Instr, RefType, TableType } from '../types.js';
import type { FuncChecker } from './function.js';
import { isReference } from './type-stack.js';

export function checkTable(c: FuncChecker, instr: Instr): void {
  const s = c.stack;
  switch (instr.op) {
    case 'table.get':
      s.popExpect('i32');
      s.push(table(c, instr.index!).elem);
      return;
    case 'table.set':
      s.popExpect(table(c, instr.index!).elem);
      s.popExpect('i32');
      return;
    case 'table.size':
      table(c, instr.index!);
      s.push('i32');
      return;
    case 'table.grow':
      s.popExpect('i32');
      s.popExpect(table(c, instr.index!).elem);
      s.push('i32');
      return;
    case 'table.fill': {
      const elem = table(c, instr.index!).elem;
      s.popExpect('i32');
      s.popExpect(elem);
      s.popExpect('i32');
      return;
    }
    case 'table.copy': {
      const dst = table(c, instr.index!);
      const src = table(c, instr.index2!);
      if (dst.elem !== src.elem) c.fail(`type mismatch: table.copy from ${src.elem} to ${dst.elem}`);
      popThreeI32(c);
      return;
    }
    case 'table.init': {
      const dst = table(c, instr.index2!);
      const elem = elemSegment(c, instr.index!);
      if (dst.elem !== elem) c.fail(`type mismatch: table.init of ${elem} into a table of ${dst.elem}`);
      popThreeI32(c);
      return;
    }
    case 'elem.drop':
      elemSegment(c, instr.index!);
      return;
    case 'ref.null':
      s.push(instr.refType!);
      return;
    case 'ref.is_null': {
      const type = s.pop();
      if (!isReference(type)) c.fail(`type mismatch: ref.is_null on ${type}`);
      s.push('i32');
      return;
    }
    case 'ref.func': {
      const index = instr.index!;
      if (index >= c.ctx.funcs.length) c.fail(`unknown function ${index}`);
      if (!c.ctx.refs.has(index)) c.fail(`undeclared function reference: function ${index} is not in an element segment, export or global`);
      s.push('funcref');
      return;
    }
    default:
      throw new Error(`validator: no rule for table instruction '${instr.op}'`);
  }
}

function popThreeI32(c: FuncChecker): void {
  c.stack.popExpect('i32');
  c.stack.popExpect('i32');
  c.stack.popExpect('i32');
}

function table(c: FuncChecker, index: number): TableType {
  const type = c.ctx.tables[index];
  if (type === undefined) c.fail(`unknown table ${index}`);
  return type;
}

function elemSegment(c: FuncChecker, index: number): RefType {
  const type = c.ctx.elems[index];
  if (type === undefined) c.fail(`unknown elem segment ${index}`);
  return type;
}
