// The only file that imports llvm-bindings: everything else goes through these names, so the
// binding's quirks (typed pointers, no alignment setter, 53-bit integer arguments) stay here.
import { createRequire } from 'node:module';
import type llvmTypes from 'llvm-bindings';
import type { ValType } from '../wasm/types.js';

const require = createRequire(import.meta.url);
export const llvm = require('llvm-bindings') as typeof llvmTypes;
export type { llvmTypes as L };

export const Linkage = llvm.GlobalValue.LinkageTypes;

/** LLVM 14's data layout for 32-bit little-endian Thumb. */
export const armDataLayout = 'e-m:e-p:32:32-Fi8-i64:64-v128:64:128-a:0:32-n32-S64';

/** LLVM's verifier; returns true when the module is well formed (the binding returns "broken"). */
export function moduleIsValid(module: llvmTypes.Module): boolean {
  return !llvm.verifyModule(module);
}

/** The LLVM type of a Wasm value type: references are opaque i8* pointers. */
export function llvmValType(b: llvmTypes.IRBuilder, t: ValType): llvmTypes.Type {
  switch (t) {
    case 'i32':
      return b.getInt32Ty();
    case 'i64':
      return b.getInt64Ty();
    case 'f32':
      return b.getFloatTy();
    case 'f64':
      return b.getDoubleTy();
    case 'funcref':
    case 'externref':
      return llvm.PointerType.getUnqual(b.getInt8Ty());
    case 'v128':
      throw new Error('v128 reached lowering: SIMD is refused by the decoder');
  }
}
