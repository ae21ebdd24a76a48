// Blocks, branches, calls and returns.
import type { BlockType, FuncType, Instr } from '../types.js';
import type { FuncChecker } from './function.js';
import type { ControlFrame } from './type-stack.js';

const noTypes: FuncType = { params: [], results: [] };

export function checkControl(c: FuncChecker, instr: Instr): void {
  const s = c.stack;
  switch (instr.op) {
    case 'unreachable':
      s.markUnreachable();
      return;
    case 'nop':
      return;
    case 'block':
    case 'loop': {
      const type = blockType(c, instr.blockType!);
      s.popAllExpect(type.params);
      s.pushFrame(instr.op, type.params, type.results);
      return;
    }
    case 'if': {
      const type = blockType(c, instr.blockType!);
      s.popExpect('i32');
      s.popAllExpect(type.params);
      s.pushFrame('if', type.params, type.results);
      return;
    }
    case 'else': {
      const frame = s.popFrame();
      if (frame.kind !== 'if') c.fail('else without a matching if');
      s.pushFrame('else', frame.params, frame.results);
      return;
    }
    case 'end': {
      const frame = s.popFrame();
      // An if without else has an empty else branch, which must turn the params into the results.
      if (frame.kind === 'if') {
        s.pushFrame('else', frame.params, frame.results);
        s.popFrame();
      }
      s.pushAll(frame.results);
      return;
    }
    case 'br': {
      s.popAllExpect(s.labelTypes(label(c, instr.index!)));
      s.markUnreachable();
      return;
    }
    case 'br_if': {
      const types = s.labelTypes(label(c, instr.index!));
      s.popExpect('i32');
      s.popAllExpect(types);
      s.pushAll(types);
      return;
    }
    case 'br_table':
      return checkBrTable(c, instr.labels!, instr.index!);
    case 'return':
      s.popAllExpect(c.results);
      s.markUnreachable();
      return;
    case 'call': {
      const type = c.funcType(instr.index!);
      s.popAllExpect(type.params);
      s.pushAll(type.results);
      return;
    }
    case 'call_indirect': {
      const table = c.ctx.tables[instr.index2!];
      if (table === undefined) c.fail(`unknown table ${instr.index2}`);
      if (table.elem !== 'funcref') c.fail(`type mismatch: call_indirect through table ${instr.index2} of ${table.elem}`);
      const type = c.type(instr.index!);
      s.popExpect('i32');
      s.popAllExpect(type.params);
      s.pushAll(type.results);
      return;
    }
    default:
      throw new Error(`validator: no rule for control instruction '${instr.op}'`);
  }
}

function checkBrTable(c: FuncChecker, labels: readonly number[], defaultLabel: number): void {
  const s = c.stack;
  s.popExpect('i32');
  const defaultTypes = s.labelTypes(label(c, defaultLabel));
  for (const l of labels) {
    const types = s.labelTypes(label(c, l));
    if (types.length !== defaultTypes.length) c.fail(`type mismatch: br_table label ${l} carries ${types.length} values, the default ${defaultTypes.length}`);
    // Each target checks the operands on its own; under unreachable code they stay unknown.
    s.pushAll(s.popAll(types));
  }
  s.popAllExpect(defaultTypes);
  s.markUnreachable();
}

function label(c: FuncChecker, depth: number): ControlFrame {
  const frame = c.stack.label(depth);
  if (frame === undefined) c.fail(`unknown label ${depth}`);
  return frame;
}

function blockType(c: FuncChecker, type: BlockType): FuncType {
  switch (type.kind) {
    case 'empty':
      return noTypes;
    case 'value':
      return { params: [], results: [type.type] };
    case 'func':
      return c.type(type.typeIndex);
  }
}
