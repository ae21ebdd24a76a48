// The spec's validation context C: everything a module defines or imports, by index space.
import type { ConstExpr, FuncType, GlobalType, MemType, RefType, TableType, WasmModule } from '../types.js';

export interface ModuleContext {
  readonly file: string;
  readonly types: readonly FuncType[];
  /** Type index of every function, imports first. May name a missing type (reported apart). */
  readonly funcs: readonly number[];
  readonly tables: readonly TableType[];
  readonly mems: readonly MemType[];
  readonly globals: readonly GlobalType[];
  /** Constant expressions may only read imported globals, which come first. */
  readonly importedGlobals: number;
  /** Reference type of each element segment. */
  readonly elems: readonly RefType[];
  /** Number of data segments (the data count section's, when there is one). */
  readonly datas: number;
  /** Functions that ref.func may name in code: those referenced outside function bodies. */
  readonly refs: ReadonlySet<number>;
}

export function buildContext(module: WasmModule): ModuleContext {
  const funcs: number[] = [];
  const tables: TableType[] = [];
  const mems: MemType[] = [];
  const globals: GlobalType[] = [];
  for (const { desc } of module.imports) {
    if (desc.kind === 'func') funcs.push(desc.typeIndex);
    else if (desc.kind === 'table') tables.push(desc.table);
    else if (desc.kind === 'memory') mems.push(desc.memory);
    else globals.push(desc.global);
  }
  const importedGlobals = globals.length;
  funcs.push(...module.funcTypes);
  tables.push(...module.tables);
  mems.push(...module.memories);
  globals.push(...module.globals.map((g) => g.type));
  return {
    file: module.file,
    types: module.types,
    funcs,
    tables,
    mems,
    globals,
    importedGlobals,
    elems: module.elems.map((e) => e.type),
    datas: module.dataCount ?? module.datas.length,
    refs: declaredRefs(module),
  };
}

/** Every function index named outside function bodies: in exports and constant expressions. */
function declaredRefs(module: WasmModule): Set<number> {
  const refs = new Set<number>();
  const scan = (expr: ConstExpr | undefined): void => {
    for (const instr of expr ?? []) if (instr.op === 'ref.func' && instr.index !== undefined) refs.add(instr.index);
  };
  for (const e of module.exports) if (e.kind === 'func') refs.add(e.index);
  for (const g of module.globals) scan(g.init);
  for (const e of module.elems) {
    scan(e.offsetExpr);
    for (const item of e.items) scan(item);
  }
  for (const d of module.datas) scan(d.offsetExpr);
  return refs;
}
