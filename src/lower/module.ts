import { BentoError } from '../diagnostics/error.js';
import { memoryBytes } from '../wasm/types.js';
import type { ConstExpr, ExternKind, ValType, WasmModule } from '../wasm/types.js';
import { ModuleContext } from './context.js';
import { DebugInfo } from './debug-info.js';
import { FunctionLowering } from './function.js';
import { globalType } from './globals.js';
import { Linkage, llvm, moduleIsValid } from './llvm.js';
import type { L } from './llvm.js';
import { functionSymbols } from './names.js';
import { floatConstant, isSignallingNaN } from './numeric.js';
import { tableEntries } from './types.js';
import type { LowerOptions } from './types.js';


export interface LoweredExport {
  name: string;
  kind: ExternKind;
  /** The symbol to link against: a function with the internal convention, a global's storage... */
  symbol: string;
}

/** A module lowered to LLVM IR, with the symbols the rest of the image links against. */
export interface LoweredModule {
  module: L.Module;
  /** `void <prefix>_init(void)`: (re)initialises memory, globals, tables, segments; runs start. */
  initSymbol: string;
  /** The bento_wasm_instance_t record (the exporter's, when the memory is imported). */
  instanceSymbol: string;
  /** The linear memory, in section .bss.<symbol> (llc -data-sections), so a linker script can place it. */
  memorySymbol?: string;
  exports: readonly LoweredExport[];
  /** Bytes of linear memory reserved (0 without a memory). */
  memoryReserve: number;
}

/** C-friendly symbol text for an export name: letters, digits and _ kept, the rest as _xx. */
export function exportSymbolName(name: string): string {
  return [...Buffer.from(name, 'utf8')]
    .map((c) => (/[A-Za-z0-9]/.test(String.fromCharCode(c)) ? String.fromCharCode(c) : `_${c.toString(16).padStart(2, '0')}`))
    .join('');
}

export function lowerModule(wasm: WasmModule, options: LowerOptions): LoweredModule {
  const m = new ModuleContext(wasm, options);
  const b = m.b;

  // Imports first: they take the low indices of each index space.
  for (const imp of wasm.imports) {
    const where = `${imp.module}.${imp.name}`;
    const resolved = options.resolveImport(imp);
    switch (imp.desc.kind) {
      case 'func': {
        const type = wasm.types[imp.desc.typeIndex]!;
        const host = resolved.kind === 'host-func';
        if (resolved.kind !== 'host-func' && resolved.kind !== 'wasm-func') throw mismatch(wasm, where, 'function');
        const llvmType = m.funcType(type, host);
        const callee = m.module.getFunction(resolved.symbol) ?? llvm.Function.Create(llvmType, Linkage.ExternalLinkage, resolved.symbol, m.module);
        m.funcs.push({ type, llvmType, callee, host });
        break;
      }
      case 'global':
        if (resolved.kind !== 'global') throw mismatch(wasm, where, 'global');
        // The same global may be imported twice: one declaration, or LLVM renames the second.
        m.globals.push(m.module.getGlobalVariable(resolved.symbol, true) ?? new llvm.GlobalVariable(m.module, m.valType(imp.desc.global.type), false, Linkage.ExternalLinkage, null, resolved.symbol));
        m.globalSymbols.push(resolved.symbol);
        break;
      case 'memory':
        if (resolved.kind !== 'memory') throw mismatch(wasm, where, 'memory');
        m.hasMemory = true;
        m.memoryMinBytes = memoryBytes(imp.desc.memory, imp.desc.memory.limits.min);
        m.memoryPageSizeLog2 = imp.desc.memory.pageSizeLog2;
        m.memoryReserve = resolved.reserve;
        m.memoryBase = b.CreateBitCast(new llvm.GlobalVariable(m.module, llvm.ArrayType.get(m.i8, 0), false, Linkage.ExternalLinkage, null, resolved.memorySymbol), m.ptr) as L.Constant;
        m.instance = new llvm.GlobalVariable(m.module, m.instanceTy, false, Linkage.ExternalLinkage, null, resolved.instanceSymbol);
        m.memorySymbol = resolved.memorySymbol;
        m.instanceSymbol = resolved.instanceSymbol;
        break;
      case 'table':
        if (resolved.kind !== 'table') throw mismatch(wasm, where, 'table');
        m.tables.push({ global: m.module.getGlobalVariable(resolved.symbol, true) ?? new llvm.GlobalVariable(m.module, m.tableTy, false, Linkage.ExternalLinkage, null, resolved.symbol), symbol: resolved.symbol });
        break;
    }
  }

  const exported = new Set(wasm.exports.map((e) => `${e.kind}:${e.index}`));
  const importedFuncs = m.funcs.length;
  const symbols = functionSymbols(wasm, options.prefix);
  wasm.funcTypes.forEach((typeIndex, i) => {
    const type = wasm.types[typeIndex]!;
    const llvmType = m.funcType(type);
    const callee = llvm.Function.Create(llvmType, Linkage.InternalLinkage, symbols[i]!, m.module);
    m.funcs.push({ type, llvmType, callee, host: false, symbol: symbols[i]! });
  });

  defineMemory(m);
  const lateGlobals = defineGlobals(m, exported);
  defineTables(m);
  defineSegments(m);

  wasm.codes.forEach((code, i) => new FunctionLowering(m, m.funcs[importedFuncs + i]!.callee, importedFuncs + i, code, symbols[i]!).lower());

  const exports = wasm.exports.map((e) => lowerExport(m, e.name, e.kind, e.index));
  const initSymbol = defineInit(m, lateGlobals);
  m.debug?.finish();

  if (!moduleIsValid(m.module)) throw new Error(`LLVM rejected the IR of ${wasm.file}: ${m.module.print().slice(0, 2000)}`);
  return {
    module: m.module,
    initSymbol,
    instanceSymbol: m.instanceSymbol,
    memorySymbol: m.hasMemory ? m.memorySymbol : undefined,
    exports,
    memoryReserve: m.memoryReserve,
  };
}

function mismatch(wasm: WasmModule, where: string, kind: string): BentoError {
  return new BentoError({ code: 'B3004', message: `import ${where} is a ${kind}, but it resolves to something else`, location: { file: wasm.file } });
}

function defineMemory(m: ModuleContext): void {
  const mem = m.wasm.memories[0];
  if (!m.hasMemory && mem) {
    m.hasMemory = true;
    const page = 2 ** mem.pageSizeLog2;
    m.memoryPageSizeLog2 = mem.pageSizeLog2;
    m.memoryMinBytes = memoryBytes(mem, mem.limits.min);
    const declaredMax = mem.limits.max !== undefined ? memoryBytes(mem, mem.limits.max) : Infinity;
    m.memoryReserve = Math.max(m.memoryMinBytes, Math.min(declaredMax, m.options.memoryReserve));
    m.memoryFixed = m.memoryReserve - m.memoryMinBytes < page;
    // mask: the largest power of two the reservation allows, but at least the initial memory
    // (and at least a page, or 32 bytes, the MPU's granule, for one-byte pages).
    const unit = Math.max(page, 32);
    if (m.options.bounds === 'mask') m.memoryReserve = Math.max(2 ** Math.floor(Math.log2(Math.max(m.memoryReserve, unit))), 2 ** Math.ceil(Math.log2(Math.max(m.memoryMinBytes, unit))));
    // mask mode lets an access start at the last byte: give it room for the widest access.
    const bytes = m.memoryReserve + (m.options.bounds === 'mask' ? 8 : 0);
    const external = m.options.memoryStorage === 'external';
    const arrayTy = llvm.ArrayType.get(m.i8, external ? 0 : bytes);
    const storage = new llvm.GlobalVariable(m.module, arrayTy, false, Linkage.ExternalLinkage, external ? null : llvm.Constant.getNullValue(arrayTy), m.sym('memory'));
    m.memoryBase = llvm.ConstantExpr.getBitCast(storage, m.ptr);
    m.memorySymbol = m.sym('memory');
  }
  if (!m.instance) {
    const name = llvm.ConstantDataArray.getString(m.ctx, m.options.prefix, true);
    const nameVar = new llvm.GlobalVariable(m.module, name.getType(), true, Linkage.PrivateLinkage, name, m.sym('name'));
    const init = llvm.ConstantStruct.get(m.instanceTy, [
      m.hasMemory ? m.memoryBase : llvm.Constant.getNullValue(m.ptr),
      llvm.ConstantInt.get(m.i32, m.memoryMinBytes),
      llvm.ConstantInt.get(m.i32, m.memoryReserve),
      llvm.ConstantExpr.getBitCast(nameVar, m.ptr),
    ]);
    m.instance = new llvm.GlobalVariable(m.module, m.instanceTy, false, Linkage.ExternalLinkage, init, m.sym('instance'));
    m.instanceSymbol = m.sym('instance');
    m.ownsInstance = true;
    m.instanceInit = init;
  }
  if (!m.hasMemory) m.memoryBase = llvm.Constant.getNullValue(m.ptr);
}

/** A constant expression that is a constant in LLVM, or undefined when it reads an imported global. */
function constantOf(m: ModuleContext, expr: ConstExpr, type: ValType): L.Constant | undefined {
  const instr = expr[0];
  if (!instr || expr.length !== 1) return undefined;
  const b = m.b;
  switch (instr.op) {
    case 'i32.const':
      return llvm.ConstantInt.get(m.i32, (instr.value as number) >>> 0);
    case 'i64.const':
      return m.const64(instr.value as bigint) as L.Constant;
    // A signalling NaN stays out of LLVM's sight (see floatConstant): the init function stores it.
    case 'f32.const':
      if (isSignallingNaN('f32', BigInt((instr.bits as number) >>> 0))) return undefined;
      return b.CreateBitCast(llvm.ConstantInt.get(m.i32, instr.bits as number), m.f32) as L.Constant;
    case 'f64.const':
      if (isSignallingNaN('f64', BigInt.asUintN(64, instr.bits as bigint))) return undefined;
      return b.CreateBitCast(m.const64(instr.bits as bigint), m.f64) as L.Constant;
    case 'ref.null':
      return llvm.Constant.getNullValue(m.valType(type));
    case 'ref.func':
      return llvm.ConstantExpr.getBitCast(m.funcref(instr.index!), m.ptr);
    default:
      return undefined;
  }
}

/** Evaluates a constant expression in code (init function): constants and global.get. */
function evaluate(m: ModuleContext, expr: ConstExpr, type: ValType): L.Value {
  const c = constantOf(m, expr, type);
  if (c) return c;
  const instr = expr[0]!;
  if (instr.op === 'f32.const') return floatConstant(m, 'f32', BigInt((instr.bits as number) >>> 0));
  if (instr.op === 'f64.const') return floatConstant(m, 'f64', BigInt.asUintN(64, instr.bits as bigint));
  return m.b.CreateLoad(m.valType(type), m.globals[instr.index!]!);
}

function defineGlobals(m: ModuleContext, exported: Set<string>): { index: number; expr: ConstExpr }[] {
  const late: { index: number; expr: ConstExpr }[] = [];
  m.wasm.globals.forEach((g) => {
    const index = m.globals.length;
    const type = m.valType(g.type.type);
    const init = constantOf(m, g.init, g.type.type);
    const isExported = exported.has(`global:${index}`) || (m.options.externalGlobals ?? []).includes(index);
    // Immutable, private, constant-initialised globals become LLVM constants, which fold away.
    const constant = !g.type.mutable && !isExported && init !== undefined;
    const linkage = isExported ? Linkage.ExternalLinkage : Linkage.InternalLinkage;
    m.globals.push(new llvm.GlobalVariable(m.module, type, constant, linkage, init ?? llvm.Constant.getNullValue(type), m.sym(`g${index}`)));
    m.globalSymbols.push(m.sym(`g${index}`));
    if (!constant) late.push({ index, expr: g.init });
  });
  return late;
}

function defineTables(m: ModuleContext): void {
  for (const t of m.wasm.tables) {
    const index = m.tables.length;
    const reserve = tableEntries(t.limits, m.options.tableReserve);
    const arrayTy = llvm.ArrayType.get(m.ptr, Math.max(reserve, 1));
    const entries = new llvm.GlobalVariable(m.module, arrayTy, false, Linkage.InternalLinkage, llvm.Constant.getNullValue(arrayTy), m.sym(`t${index}_entries`));
    const init = llvm.ConstantStruct.get(m.tableTy, [
      llvm.ConstantExpr.getBitCast(entries, llvm.PointerType.getUnqual(m.ptr)),
      llvm.ConstantInt.get(m.i32, t.limits.min),
      llvm.ConstantInt.get(m.i32, reserve),
    ]);
    m.tables.push({ global: new llvm.GlobalVariable(m.module, m.tableTy, false, Linkage.ExternalLinkage, init, m.sym(`t${index}`)), init, symbol: m.sym(`t${index}`) });
  }
}

function defineSegments(m: ModuleContext): void {
  m.wasm.datas.forEach((d, i) => {
    const bytes = byteArray(m, d.bytes);
    const storage = new llvm.GlobalVariable(m.module, bytes.getType(), true, Linkage.PrivateLinkage, bytes, m.sym(`d${i}`));
    const length = new llvm.GlobalVariable(m.module, m.i32, false, Linkage.InternalLinkage, llvm.ConstantInt.get(m.i32, d.bytes.length), m.sym(`d${i}_len`));
    m.datas.push({ bytes: llvm.ConstantExpr.getBitCast(storage, m.ptr), length });
  });
  m.wasm.elems.forEach((e, i) => {
    const items = e.items.map((item) => constantOf(m, item, e.type) ?? llvm.Constant.getNullValue(m.ptr));
    const arrayTy = llvm.ArrayType.get(m.ptr, Math.max(items.length, 1));
    const init = items.length > 0 ? llvm.ConstantArray.get(arrayTy, items) : llvm.Constant.getNullValue(arrayTy);
    const needsCode = e.items.some((item) => constantOf(m, item, e.type) === undefined);
    const storage = new llvm.GlobalVariable(m.module, arrayTy, !needsCode, Linkage.InternalLinkage, init, m.sym(`e${i}`));
    const length = new llvm.GlobalVariable(m.module, m.i32, false, Linkage.InternalLinkage, llvm.ConstantInt.get(m.i32, e.items.length), m.sym(`e${i}_len`));
    m.elems.push({ items: llvm.ConstantExpr.getBitCast(storage, llvm.PointerType.getUnqual(m.ptr)), length });
  });
}

/**
 * An [n x i8] constant. The binding's ConstantDataArray.get makes 64-bit elements from JS
 * numbers, so the array is built from (cached) i8 constants instead.
 */
function byteArray(m: ModuleContext, data: Uint8Array): L.Constant {
  const bytes = Array.from({ length: 256 }, (_, v) => llvm.ConstantInt.get(m.i8, v));
  return llvm.ConstantArray.get(llvm.ArrayType.get(m.i8, data.length), Array.from(data, (v) => bytes[v]!));
}

function lowerExport(m: ModuleContext, name: string, kind: ExternKind, index: number): LoweredExport {
  switch (kind) {
    case 'func': {
      const f = m.funcs[index]!;
      const symbol = m.sym(`export_${exportSymbolName(name)}`);
      const wrapper = llvm.Function.Create(m.funcType(f.type), Linkage.ExternalLinkage, symbol, m.module);
      m.b.SetInsertPoint(llvm.BasicBlock.Create(m.ctx, 'entry', wrapper));
      const at = f.symbol === undefined ? undefined : m.debug?.entry(wrapper, name, symbol, f.symbol);
      if (at) m.b.SetCurrentDebugLocation(at);
      const args: L.Value[] = f.type.params.map((_, i) => wrapper.getArg(i));
      if (f.host) args.unshift(m.instance);
      const call = m.b.CreateCall(f.callee, args);
      if (f.type.results.length === 0) m.b.CreateRetVoid();
      else m.b.CreateRet(call);
      if (at) DebugInfo.clearLocation(m.b);
      return { name, kind, symbol };
    }
    case 'global':
      return { name, kind, symbol: m.globalSymbols[index]! };
    case 'memory':
      return { name, kind, symbol: m.memorySymbol };
    case 'table':
      return { name, kind, symbol: m.tables[index]!.symbol };
  }
}

/**
 * `<prefix>_init`: what instantiation does, in the spec's order, re-runnable for restarts:
 * memory cleared to its initial size, globals, tables cleared, active element then data segments
 * copied (trapping when out of bounds) and dropped, passive segments restored, start called.
 */
function defineInit(m: ModuleContext, lateGlobals: { index: number; expr: ConstExpr }[]): string {
  const b = m.b;
  const symbol = m.sym('init');
  const fn = llvm.Function.Create(llvm.FunctionType.get(m.voidTy, [], false), Linkage.ExternalLinkage, symbol, m.module);
  b.SetInsertPoint(llvm.BasicBlock.Create(m.ctx, 'entry', fn));
  const instPtr = llvm.PointerType.getUnqual(m.instanceTy);
  const tablePtr = llvm.PointerType.getUnqual(m.tableTy);
  const entryList = llvm.PointerType.getUnqual(m.ptr);

  // Every piece of mutable state is written here, not only left to static initialisers: a
  // restarted instance, or one whose RAM starts zeroed (an MPU box), is then whole again.
  if (m.ownsInstance) b.CreateStore(m.instanceInit!, m.instance);
  if (m.hasMemory && m.wasm.memories.length > 0) {
    const reset = m.runtimeFunc('bento_wasm_memory_reset', m.voidTy, [instPtr, m.i32]);
    b.CreateCall(reset, [m.instance, m.const32(m.memoryMinBytes)]);
  }
  for (const g of lateGlobals) b.CreateStore(evaluate(m, g.expr, globalType(m.wasm, g.index)), m.globals[g.index]!);
  const importedTables = m.tables.length - m.wasm.tables.length;
  m.wasm.tables.forEach((t, i) => {
    const table = m.tables[importedTables + i]!;
    b.CreateStore(table.init!, table.global);
    const reset = m.runtimeFunc('bento_wasm_table_reset', m.voidTy, [tablePtr, m.i32]);
    b.CreateCall(reset, [table.global, m.const32(t.limits.min)]);
  });
  m.wasm.elems.forEach((e, i) => {
    const seg = m.elems[i]!;
    e.items.forEach((item, k) => {
      if (constantOf(m, item, e.type) === undefined) {
        b.CreateStore(evaluate(m, item, e.type), b.CreateGEP(m.ptr, seg.items, m.const32(k)));
      }
    });
    b.CreateStore(m.const32(e.mode === 'passive' ? e.items.length : 0), seg.length);
    if (e.mode === 'active') {
      const init = m.runtimeFunc('bento_wasm_table_init', m.voidTy, [tablePtr, m.i32, m.i32, m.i32, entryList, m.i32]);
      b.CreateCall(init, [m.tables[e.table]!.global, evaluate(m, e.offsetExpr!, 'i32'), m.const32(0), m.const32(e.items.length), seg.items, m.const32(e.items.length)]);
    }
  });
  m.wasm.datas.forEach((d, i) => {
    const seg = m.datas[i]!;
    b.CreateStore(m.const32(d.mode === 'passive' ? d.bytes.length : 0), seg.length);
    if (d.mode === 'active') {
      const init = m.runtimeFunc('bento_wasm_memory_init', m.voidTy, [instPtr, m.i32, m.i32, m.i32, m.ptr, m.i32]);
      b.CreateCall(init, [m.instance, evaluate(m, d.offsetExpr!, 'i32'), m.const32(0), m.const32(d.bytes.length), seg.bytes, m.const32(d.bytes.length)]);
    }
  });
  if (m.wasm.start !== undefined) {
    const start = m.funcs[m.wasm.start]!;
    b.CreateCall(start.callee, start.host ? [m.instance] : []);
  }
  b.CreateRetVoid();
  return symbol;
}
