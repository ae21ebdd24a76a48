// Loads, stores and the memory instructions. Wasm 2.0 has at most one memory, index 0.
import type { OpInfo } from '../opcodes.js';
import type { Instr } from '../types.js';
import type { FuncChecker } from './function.js';

export function checkMemory(c: FuncChecker, instr: Instr, info: OpInfo): void {
  if (instr.op === 'data.drop') {
    // The only memory instruction that does not need a memory.
    dataSegment(c, instr.index!);
    return;
  }
  if (c.ctx.mems.length === 0) c.fail('unknown memory 0');
  if (instr.memarg !== undefined && instr.memarg.align > info.naturalAlign!) {
    c.fail(`alignment must not be larger than natural: 2^${instr.memarg.align} for ${instr.op}, at most 2^${info.naturalAlign}`);
  }
  if (instr.op === 'memory.init') dataSegment(c, instr.index!);
  c.stack.popAllExpect(info.params!);
  c.stack.pushAll(info.results!);
}

function dataSegment(c: FuncChecker, index: number): void {
  if (index >= c.ctx.datas) c.fail(`unknown data segment ${index}`);
}
