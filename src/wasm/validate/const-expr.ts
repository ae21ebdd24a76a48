// Constant expressions: global initialisers, segment offsets and element items. Wasm 2.0 allows
// t.const, ref.null, ref.func and global.get of an imported immutable global, and the expression
// must leave exactly one value of the expected type.
import type { ConstExpr, ValType } from '../types.js';
import type { ModuleContext } from './context.js';
import { invalid } from './problems.js';

/** Where the expression sits: the entry's offset (used when the expression is empty) and context. */
export interface ExprPlace {
  offset: number;
  context: string;
}

export function checkConstExpr(ctx: ModuleContext, expr: ConstExpr, expected: ValType, place: ExprPlace): void {
  const stack: ValType[] = [];
  let offset = place.offset;
  const fail = (message: string): never => invalid(ctx.file, message, offset, place.context);
  for (const instr of expr) {
    offset = instr.offset;
    stack.push(constantType(ctx, instr.op, instr.index, instr.refType, fail));
  }
  if (stack.length !== 1 || stack[0] !== expected) {
    fail(`type mismatch: constant expression gives [${stack.join(' ')}], expected [${expected}]`);
  }
}

function constantType(ctx: ModuleContext, op: string, index: number | undefined, refType: ValType | undefined, fail: (message: string) => never): ValType {
  switch (op) {
    case 'i32.const':
      return 'i32';
    case 'i64.const':
      return 'i64';
    case 'f32.const':
      return 'f32';
    case 'f64.const':
      return 'f64';
    case 'ref.null':
      return refType!;
    case 'ref.func':
      if (index! >= ctx.funcs.length) fail(`unknown function ${index}`);
      return 'funcref';
    case 'global.get': {
      // Only imported globals are visible here (they come first in the index space).
      const global = index! < ctx.importedGlobals ? ctx.globals[index!] : undefined;
      if (global === undefined) return fail(`unknown global ${index}`);
      if (global.mutable) fail(`constant expression required: global ${index} is mutable`);
      return global.type;
    }
    default:
      return fail(`constant expression required: ${op} is not a constant instruction`);
  }
}
