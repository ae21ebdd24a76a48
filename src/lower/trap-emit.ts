import type { FunctionLowering } from './function.js';
import type { L } from './llvm.js';
import { trapKinds } from './traps.js';
import type { TrapKind } from './traps.js';

function trapFunction(f: FunctionLowering): L.Function {
  const m = f.m;
  return m.runtimeFunc('bento_wasm_trap', m.voidTy, [m.i32]);
}

/** Traps here: the current block ends. */
export function emitTrap(f: FunctionLowering, kind: TrapKind): void {
  f.b.CreateCall(trapFunction(f), [f.m.const32(trapKinds[kind])]);
  f.b.CreateUnreachable();
}

/** Traps when `cond` holds, through one shared block per kind; code goes on in a new block. */
export function emitTrapIf(f: FunctionLowering, cond: L.Value, kind: TrapKind): void {
  let block = f.trapBlocks.get(kind);
  if (!block) {
    block = f.newBlock(`trap_${kind}`);
    const here = f.b.GetInsertBlock()!;
    f.b.SetInsertPoint(block);
    emitTrap(f, kind);
    f.b.SetInsertPoint(here);
    f.trapBlocks.set(kind, block);
  }
  const cont = f.newBlock('ok');
  f.b.CreateCondBr(cond, block, cont);
  f.b.SetInsertPoint(cont);
}
