import type { FuncType, ValType, WasmModule } from '../wasm/types.js';
import { DebugInfo } from './debug-info.js';
import { armDataLayout, Linkage, llvm, llvmValType } from './llvm.js';
import type { L } from './llvm.js';
import type { LowerOptions } from './types.js';

/** A Wasm function as LLVM sees it: its type, and the value to call. */
export interface LoweredFunc {
  type: FuncType;
  llvmType: L.FunctionType;
  callee: L.Function;
  /** True for imports of host C functions, which take the instance pointer first. */
  host: boolean;
  /** The symbol of a function this module defines (lower/names.ts). */
  symbol?: string;
}

export interface TableInfo {
  /** %bento_table = { i8** entries, i32 size, i32 max } */
  global: L.Constant;
  /** Its initial record, for tables this module defines. */
  init?: L.Constant;
  /** Its symbol (the binding's getName() is not usable on globals). */
  symbol: string;
}

/** Module-wide state of one lowering: LLVM objects for every Wasm index space. */
export class ModuleContext {
  readonly ctx = new llvm.LLVMContext();
  readonly module: L.Module;
  readonly b: L.IRBuilder;
  readonly i1: L.Type;
  readonly i8: L.Type;
  readonly i32: L.IntegerType;
  readonly i64: L.IntegerType;
  readonly f32: L.Type;
  readonly f64: L.Type;
  readonly ptr: L.PointerType;
  readonly voidTy: L.Type;
  /** %bento_instance = { i8* memory, i32 memory_size, i32 memory_max, i8* name } (runtime-c/include/bento/wasm.h) */
  readonly instanceTy: L.StructType;
  /** %bento_table = { i8** entries, i32 size, i32 max } */
  readonly tableTy: L.StructType;
  /** %bento_funcref = { i8* signature, i8* code }: what a funcref points at. */
  readonly funcrefTy: L.StructType;
  /** Source lines, when the module has a DWARF line table. */
  readonly debug: DebugInfo | undefined;

  funcs: LoweredFunc[] = [];
  /** Data segments: their bytes and their current length (0 once dropped). */
  datas: { bytes: L.Constant; length: L.Constant }[] = [];
  /** Element segments: their entries (as i8**) and their current length (0 once dropped). */
  elems: { items: L.Constant; length: L.Constant }[] = [];
  globals: L.Constant[] = [];
  /** The symbol of each global, imported ones first. */
  globalSymbols: string[] = [];
  tables: TableInfo[] = [];
  /** The instance record whose memory_size field bounds-checks read. */
  instance!: L.Constant;
  /** Linear memory base as i8*. */
  memoryBase!: L.Constant;
  /** Symbols of the linear memory and the instance record (imported ones when the memory is). */
  memorySymbol = '';
  instanceSymbol = '';
  /** True when this module defines its instance record (it does unless its memory is imported). */
  ownsInstance = false;
  instanceInit?: L.Constant;
  /** Initial memory size in bytes: it never shrinks, which lets bounds checks stay 32-bit. */
  memoryMinBytes = 0;
  /** log2 of the memory's page size: 16, or 0 for a custom page size of one byte. */
  memoryPageSizeLog2 = 16;
  memoryReserve = 0;
  /**
   * True when the memory can never grow (it is this module's own and its reservation has no room
   * for another page): its size is then the constant memoryMinBytes, and bounds checks compare
   * against a constant that LLVM can reason about across loops.
   */
  memoryFixed = false;
  hasMemory = false;
  private funcrefs = new Map<number, L.Constant>();
  private signatures = new Map<string, L.Constant>();
  private intrinsics = new Map<string, L.Function>();
  private runtime = new Map<string, L.Function>();

  constructor(
    readonly wasm: WasmModule,
    readonly options: LowerOptions,
  ) {
    this.module = new llvm.Module(options.prefix, this.ctx);
    this.module.setTargetTriple(options.triple);
    this.module.setDataLayout(armDataLayout);
    this.b = new llvm.IRBuilder(this.ctx);
    this.i1 = this.b.getInt1Ty();
    this.i8 = this.b.getInt8Ty();
    this.i32 = this.b.getInt32Ty();
    this.i64 = this.b.getInt64Ty();
    this.f32 = this.b.getFloatTy();
    this.f64 = this.b.getDoubleTy();
    this.ptr = llvm.PointerType.getUnqual(this.i8);
    this.voidTy = this.b.getVoidTy();
    this.instanceTy = llvm.StructType.create(this.ctx, [this.ptr, this.i32, this.i32, this.ptr], 'bento_instance');
    this.tableTy = llvm.StructType.create(this.ctx, [llvm.PointerType.getUnqual(this.ptr), this.i32, this.i32], 'bento_table');
    this.funcrefTy = llvm.StructType.create(this.ctx, [this.ptr, this.ptr], 'bento_funcref');
    this.debug = DebugInfo.of(wasm, this.ctx, this.module);
  }

  sym(name: string): string {
    return `${this.options.prefix}_${name}`;
  }

  valType(t: ValType): L.Type {
    return llvmValType(this.b, t);
  }

  /** Results: void for none, the type for one, a literal struct for several. */
  resultType(results: readonly ValType[]): L.Type {
    if (results.length === 0) return this.voidTy;
    if (results.length === 1) return this.valType(results[0]!);
    return llvm.StructType.get(this.ctx, results.map((r) => this.valType(r)));
  }

  funcType(t: FuncType, host = false): L.FunctionType {
    const params = t.params.map((p) => this.valType(p));
    if (host) params.unshift(llvm.PointerType.getUnqual(this.instanceTy));
    return llvm.FunctionType.get(this.resultType(t.results), params, false);
  }

  /** A symbol whose address stands for a function type, shared by every module in the image. */
  signature(t: FuncType): L.Constant {
    const code = (ts: readonly ValType[]) => ts.map((v) => ({ i32: 'i', i64: 'I', f32: 'f', f64: 'F', funcref: 'r', externref: 'e', v128: 'v' })[v]).join('');
    const name = `bento_sig_${code(t.params)}_${code(t.results)}`;
    let sig = this.signatures.get(name);
    if (!sig) {
      // linkonce_odr: every module defines it, the linker keeps one, so equal types have equal addresses.
      sig = new llvm.GlobalVariable(this.module, this.i8, true, Linkage.LinkOnceODRLinkage, this.b.getInt8(0), name);
      this.signatures.set(name, sig);
    }
    return sig;
  }

  /** The funcref of function `index`: a constant { signature, code } record. */
  funcref(index: number): L.Constant {
    let ref = this.funcrefs.get(index);
    if (!ref) {
      const f = this.funcs[index]!;
      const code = f.host ? this.hostTrampoline(index) : f.callee;
      const init = llvm.ConstantStruct.get(this.funcrefTy, [
        llvm.ConstantExpr.getBitCast(this.signature(f.type), this.ptr),
        llvm.ConstantExpr.getBitCast(code, this.ptr),
      ]);
      ref = new llvm.GlobalVariable(this.module, this.funcrefTy, true, Linkage.InternalLinkage, init, this.sym(`funcref${index}`));
      this.funcrefs.set(index, ref);
    }
    return ref;
  }

  /** Host functions take the instance first; a funcref to one calls through this adapter. */
  private hostTrampoline(index: number): L.Function {
    const f = this.funcs[index]!;
    const fn = llvm.Function.Create(this.funcType(f.type), Linkage.InternalLinkage, this.sym(`host_adapter${index}`), this.module);
    // A builder of its own: the shared one may carry the debug location of the function being lowered.
    const b = new llvm.IRBuilder(llvm.BasicBlock.Create(this.ctx, 'entry', fn));
    const args = [this.instance, ...f.type.params.map((_, i) => fn.getArg(i))];
    const call = b.CreateCall(f.callee, args as L.Value[]);
    if (f.type.results.length === 0) b.CreateRetVoid();
    else b.CreateRet(call);
    return fn;
  }

  intrinsic(id: number, types: L.Type[], key: string): L.Function {
    let fn = this.intrinsics.get(key);
    if (!fn) {
      fn = llvm.Intrinsic.getDeclaration(this.module, id, types);
      this.intrinsics.set(key, fn);
    }
    return fn;
  }

  /** A function of runtime-c, declared on first use. */
  runtimeFunc(name: string, result: L.Type, params: L.Type[]): L.Function {
    let fn = this.runtime.get(name);
    if (!fn) {
      fn = this.module.getFunction(name) ?? llvm.Function.Create(llvm.FunctionType.get(result, params, false), Linkage.ExternalLinkage, name, this.module);
      this.runtime.set(name, fn);
    }
    return fn;
  }

  /** An i64 constant from a bigint: the binding takes JS numbers, exact only to 2^53. */
  const64(v: bigint): L.Value {
    const u = BigInt.asUintN(64, v);
    const lo = this.b.CreateZExt(this.b.getInt32(Number(u & 0xffff_ffffn)), this.i64);
    const hi = this.b.CreateZExt(this.b.getInt32(Number(u >> 32n)), this.i64);
    return this.b.CreateOr(this.b.CreateShl(hi, this.b.getInt64(32)), lo);
  }

  const32(v: number): L.Value {
    return this.b.getInt32(v >>> 0);
  }

  zero(t: ValType): L.Value {
    return llvm.Constant.getNullValue(this.valType(t));
  }
}
