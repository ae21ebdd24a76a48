// The only file that imports llvm-bindings: everything else goes through these names, so the
// binding's quirks (typed pointers, no alignment setter, 53-bit integer arguments) stay here.
import { createRequire } from 'node:module';
import type llvmTypes from 'llvm-bindings';

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
