// The generated half of the firmware's driver: one LLVM IR function per invocation, which calls
// the export with the internal convention (several results come back as a literal struct, which C
// cannot call portably), stores each result's bits in bento_spec_results, checks them against the
// expected patterns, and reports through runtime-c/spec/driver.c. It is compiled apart from the
// modules, so LLVM cannot fold the calls into constants.
import { armDataLayout, Linkage, llvm, llvmValType, moduleIsValid } from '../lower/llvm.js';
import type { L } from '../lower/llvm.js';
import type { FuncType, ValType } from '../wasm/types.js';
import type { Expectation } from './plan.js';

/** The capacity of bento_spec_results in runtime-c/spec/driver.c. */
export const maxResults = 64;

/** A table's or memory's current size (a record whose second word holds it) against a minimum. */
export interface SizeCheck {
  kind: 'table' | 'memory';
  /** The table record, or the instance record that owns the memory. */
  symbol: string;
  /** Entries, or pages. */
  min: number;
}

export type DriverCall =
  /** Calls an export and checks its results. */
  | { kind: 'invoke'; command: number; symbol: string; type: FuncType; args: readonly bigint[]; expect: Expectation }
  /** Reads an exported global and checks it. */
  | { kind: 'get'; command: number; symbol: string; type: ValType; expect: Expectation }
  /** Links by current sizes, then instantiates: fails with no results when a size is short. */
  | { kind: 'instantiate'; command: number; init: string; checks: readonly SizeCheck[] }
  /** assert_unlinkable by current sizes: passes when some size is short. */
  | { kind: 'link-check'; command: number; checks: readonly SizeCheck[] };

/** The symbol of the function that runs a command. */
export function driverSymbol(command: number): string {
  return `bento_spec_cmd${command}`;
}

class DriverBuilder {
  readonly ctx = new llvm.LLVMContext();
  readonly module: L.Module;
  readonly b: L.IRBuilder;
  readonly i32: L.IntegerType;
  readonly i64: L.IntegerType;
  readonly ptr: L.PointerType;
  readonly results: L.GlobalVariable;
  readonly resultsTy: L.ArrayType;
  readonly pass: L.Function;
  readonly fail: L.Function;

  constructor(name: string, triple: string) {
    this.module = new llvm.Module(name, this.ctx);
    this.module.setTargetTriple(triple);
    this.module.setDataLayout(armDataLayout);
    this.b = new llvm.IRBuilder(this.ctx);
    this.i32 = this.b.getInt32Ty();
    this.i64 = this.b.getInt64Ty();
    this.ptr = llvm.PointerType.getUnqual(this.b.getInt8Ty());
    const voidTy = this.b.getVoidTy();
    this.resultsTy = llvm.ArrayType.get(this.i64, maxResults);
    this.results = new llvm.GlobalVariable(this.module, this.resultsTy, false, Linkage.ExternalLinkage, null, 'bento_spec_results');
    this.pass = llvm.Function.Create(llvm.FunctionType.get(voidTy, [this.i32], false), Linkage.ExternalLinkage, 'bento_spec_pass', this.module);
    this.fail = llvm.Function.Create(llvm.FunctionType.get(voidTy, [this.i32, this.i32], false), Linkage.ExternalLinkage, 'bento_spec_fail', this.module);
  }

  valType(t: ValType): L.Type {
    return llvmValType(this.b, t);
  }

  /** The lowering's convention: void, one value, or a literal struct of several. */
  funcType(t: FuncType): L.FunctionType {
    const results = t.results.map((r) => this.valType(r));
    const result = results.length === 0 ? this.b.getVoidTy() : results.length === 1 ? results[0]! : llvm.StructType.get(this.ctx, results);
    return llvm.FunctionType.get(result, t.params.map((p) => this.valType(p)), false);
  }

  /** An i64 constant from a bigint (the binding takes JS numbers, exact only to 2^53): folded by the builder. */
  const64(v: bigint): L.Value {
    const lo = this.b.CreateZExt(this.b.getInt32(Number(v & 0xffff_ffffn)), this.i64);
    const hi = this.b.CreateZExt(this.b.getInt32(Number((v >> 32n) & 0xffff_ffffn)), this.i64);
    return this.b.CreateOr(this.b.CreateShl(hi, this.b.getInt64(32)), lo);
  }

  /** A constant of type `t` with these bits. */
  constant(t: ValType, bits: bigint): L.Value {
    const b = this.b;
    switch (t) {
      case 'i32':
        return b.getInt32(Number(bits));
      case 'i64':
        return this.const64(bits);
      case 'f32':
        return b.CreateBitCast(b.getInt32(Number(bits)), b.getFloatTy());
      case 'f64':
        return b.CreateBitCast(this.const64(bits), b.getDoubleTy());
      case 'funcref':
      case 'externref':
        return bits === 0n ? llvm.Constant.getNullValue(this.ptr) : b.CreateIntToPtr(b.getInt32(Number(bits)), this.ptr);
      case 'v128':
        throw new Error('v128 values do not reach the driver');
    }
  }

  /** A value's raw bits, zero-extended to 64. */
  bits(t: ValType, v: L.Value): L.Value {
    const b = this.b;
    switch (t) {
      case 'i32':
        return b.CreateZExt(v, this.i64);
      case 'i64':
        return v;
      case 'f32':
        return b.CreateZExt(b.CreateBitCast(v, this.i32), this.i64);
      case 'f64':
        return b.CreateBitCast(v, this.i64);
      case 'funcref':
      case 'externref':
        return b.CreateZExt(b.CreatePtrToInt(v, this.i32), this.i64);
      case 'v128':
        throw new Error('v128 values do not reach the driver');
    }
  }

  /** The values a call or load produced, in order. */
  produce(call: DriverCall & { kind: 'invoke' | 'get' }): { types: readonly ValType[]; values: L.Value[] } {
    const b = this.b;
    if (call.kind === 'get') {
      const type = this.valType(call.type);
      const storage = this.module.getGlobalVariable(call.symbol) ?? new llvm.GlobalVariable(this.module, type, false, Linkage.ExternalLinkage, null, call.symbol);
      return { types: [call.type], values: [b.CreateLoad(type, storage)] };
    }
    const fnType = this.funcType(call.type);
    const callee = this.module.getFunction(call.symbol) ?? llvm.Function.Create(fnType, Linkage.ExternalLinkage, call.symbol, this.module);
    const args = call.args.map((bits, i) => this.constant(call.type.params[i]!, bits));
    const result = b.CreateCall(callee, args);
    const n = call.type.results.length;
    const values = n === 1 ? [result as L.Value] : Array.from({ length: n }, (_, i) => b.CreateExtractValue(result, [i]));
    return { types: call.type.results, values };
  }

  /** True when every table and memory has reached its minimum. */
  sizesReached(checks: readonly SizeCheck[]): L.Value {
    const b = this.b;
    const recordTy = llvm.ArrayType.get(this.i32, 2);
    let ok: L.Value = b.getTrue();
    for (const c of checks) {
      const record = this.module.getGlobalVariable(c.symbol) ?? new llvm.GlobalVariable(this.module, recordTy, false, Linkage.ExternalLinkage, null, c.symbol);
      const size = b.CreateLoad(this.i32, b.CreateInBoundsGEP(recordTy, record, [b.getInt32(0), b.getInt32(1)]));
      const current = c.kind === 'memory' ? b.CreateLShr(size, b.getInt32(16)) : size;
      ok = b.CreateAnd(ok, b.CreateICmpUGE(current, b.getInt32(c.min)));
    }
    return ok;
  }

  /** Branches on `cond` to two blocks that each report and return. */
  report(fn: L.Function, cond: L.Value, onTrue: () => void, onFalse: () => void): void {
    const b = this.b;
    const yes = llvm.BasicBlock.Create(this.ctx, 'yes', fn);
    const no = llvm.BasicBlock.Create(this.ctx, 'no', fn);
    b.CreateCondBr(cond, yes, no);
    b.SetInsertPoint(yes);
    onTrue();
    b.CreateRetVoid();
    b.SetInsertPoint(no);
    onFalse();
    b.CreateRetVoid();
  }

  emit(call: DriverCall): void {
    const b = this.b;
    const fn = llvm.Function.Create(llvm.FunctionType.get(b.getVoidTy(), [], false), Linkage.ExternalLinkage, driverSymbol(call.command), this.module);
    b.SetInsertPoint(llvm.BasicBlock.Create(this.ctx, 'entry', fn));
    const command = b.getInt32(call.command);
    const pass = () => b.CreateCall(this.pass, [command]);
    const failNoResults = () => b.CreateCall(this.fail, [command, b.getInt32(0)]);
    if (call.kind === 'instantiate') {
      const init = this.module.getFunction(call.init) ?? llvm.Function.Create(llvm.FunctionType.get(b.getVoidTy(), [], false), Linkage.ExternalLinkage, call.init, this.module);
      this.report(fn, this.sizesReached(call.checks), () => (b.CreateCall(init, []), pass()), failNoResults);
      return;
    }
    if (call.kind === 'link-check') {
      this.report(fn, this.sizesReached(call.checks), failNoResults, pass);
      return;
    }
    const { types, values } = this.produce(call);
    if (values.length > maxResults) throw new Error(`${values.length} results; the driver holds at most ${maxResults}`);
    const bits = values.map((v, i) => this.bits(types[i]!, v));
    bits.forEach((v, i) => b.CreateStore(v, b.CreateInBoundsGEP(this.resultsTy, this.results, [b.getInt32(0), b.getInt32(i)])));
    const expect = call.expect;
    if (expect.kind === 'action') {
      b.CreateCall(this.pass, [command]);
    } else if (expect.kind !== 'return') {
      // It should have trapped: returning at all is the failure, with what it returned.
      b.CreateCall(this.fail, [command, b.getInt32(values.length)]);
    } else {
      let ok: L.Value = b.getTrue();
      expect.patterns.forEach((p, i) => {
        const test = p.kind === 'non-null' ? b.CreateICmpNE(bits[i]!, this.const64(0n)) : b.CreateICmpEQ(b.CreateAnd(bits[i]!, this.const64(p.mask)), this.const64(p.value));
        ok = b.CreateAnd(ok, test);
      });
      this.report(fn, ok, pass, () => b.CreateCall(this.fail, [command, b.getInt32(values.length)]));
      return;
    }
    b.CreateRetVoid();
  }
}

/** Writes the driver's IR for `calls` as bitcode; the caller compiles it. */
export function writeDriver(calls: readonly DriverCall[], name: string, triple: string, bitcode: string): void {
  const d = new DriverBuilder(name, triple);
  for (const call of calls) d.emit(call);
  if (!moduleIsValid(d.module)) throw new Error(`LLVM rejected the spec driver's IR for ${name}`);
  llvm.WriteBitcodeToFile(d.module, bitcode);
}
