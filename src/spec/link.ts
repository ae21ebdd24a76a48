// Import matching as the spec defines it (Wasm 2.0, "Import Subtyping"), decided on the host
// before anything is built: a module links when every import names a registered module, an
// export of it, and that export's type matches the import's.
import type { ResolvedImport } from '../lower/types.js';
import { defaultPageSizeLog2, memoryBytes } from '../wasm/types.js';
import type { FuncType, GlobalType, Import, Limits, MemType, TableType, ValType, WasmModule } from '../wasm/types.js';

export type ExternType =
  | { kind: 'func'; type: FuncType }
  | { kind: 'table'; type: TableType }
  | { kind: 'memory'; type: MemType }
  | { kind: 'global'; type: GlobalType };

/** The type an import asks for. */
export function importType(wasm: WasmModule, imp: Import): ExternType {
  const d = imp.desc;
  switch (d.kind) {
    case 'func':
      return { kind: 'func', type: wasm.types[d.typeIndex]! };
    case 'table':
      return { kind: 'table', type: d.table };
    case 'memory':
      return { kind: 'memory', type: d.memory };
    case 'global':
      return { kind: 'global', type: d.global };
  }
}

/** The types of a module's exports, by name (index spaces count imports first). */
export function exportTypes(wasm: WasmModule): Map<string, ExternType> {
  const imported = (kind: Import['desc']['kind']) => wasm.imports.filter((i) => i.desc.kind === kind).map((i) => importType(wasm, i));
  const funcs: ExternType[] = [...imported('func'), ...wasm.funcTypes.map((t): ExternType => ({ kind: 'func', type: wasm.types[t]! }))];
  const tables: ExternType[] = [...imported('table'), ...wasm.tables.map((t): ExternType => ({ kind: 'table', type: t }))];
  const memories: ExternType[] = [...imported('memory'), ...wasm.memories.map((m): ExternType => ({ kind: 'memory', type: m }))];
  const globals: ExternType[] = [...imported('global'), ...wasm.globals.map((g): ExternType => ({ kind: 'global', type: g.type }))];
  const spaces = { func: funcs, table: tables, memory: memories, global: globals };
  return new Map(wasm.exports.map((e) => [e.name, spaces[e.kind][e.index]!]));
}

function sameTypes(a: readonly ValType[], b: readonly ValType[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

export function formatFuncType(t: FuncType): string {
  return `[${t.params.join(' ')}] -> [${t.results.join(' ')}]`;
}

function formatLimits(l: Limits): string {
  return l.max === undefined ? `${l.min}` : `${l.min} ${l.max}`;
}

export function formatExternType(t: ExternType): string {
  switch (t.kind) {
    case 'func':
      return `func ${formatFuncType(t.type)}`;
    case 'table':
      return `table ${formatLimits(t.type.limits)} ${t.type.elem}`;
    case 'memory':
      return `memory ${formatLimits(t.type.limits)}${t.type.pageSizeLog2 === defaultPageSizeLog2 ? '' : ` (pagesize ${2 ** t.type.pageSizeLog2})`}`;
    case 'global':
      return `global ${t.type.mutable ? `(mut ${t.type.type})` : t.type.type}`;
  }
}

/**
 * Limits subtyping: at least the minimum asked for, and within the maximum when one is asked for.
 * `ignoreMin` checks the maximum alone (the minimum is then checked against the current size).
 */
function limitsMatch(provided: Limits, wanted: Limits, ignoreMin: boolean): boolean {
  if (!ignoreMin && provided.min < wanted.min) return false;
  // A size can never grow past its maximum.
  if (provided.max !== undefined && provided.max < wanted.min) return false;
  if (wanted.max === undefined) return true;
  return provided.max !== undefined && provided.max <= wanted.max;
}

/**
 * Whether an export of type `provided` satisfies an import of type `wanted`. A table's or memory's
 * minimum is its current size, which only grows: with `ignoreMin`, everything but that is checked.
 */
export function externTypeMatches(provided: ExternType, wanted: ExternType, ignoreMin = false): boolean {
  switch (wanted.kind) {
    case 'func':
      return provided.kind === 'func' && sameTypes(provided.type.params, wanted.type.params) && sameTypes(provided.type.results, wanted.type.results);
    case 'global':
      return provided.kind === 'global' && provided.type.type === wanted.type.type && provided.type.mutable === wanted.type.mutable;
    case 'table':
      return provided.kind === 'table' && provided.type.elem === wanted.type.elem && limitsMatch(provided.type.limits, wanted.type.limits, ignoreMin);
    case 'memory':
      // Page sizes must be equal: a size in pages means nothing in another page size.
      return provided.kind === 'memory' && provided.type.pageSizeLog2 === wanted.type.pageSizeLog2 && limitsMatch(provided.type.limits, wanted.type.limits, ignoreMin);
  }
}

/** What a registered module name offers: the types of its exports. */
export interface ExportSource<Ref> {
  /** Who provides the exports: the spectest host, or an instance of the script. */
  ref: Ref;
  types: ReadonlyMap<string, ExternType>;
}

/**
 * An import of a table or memory whose declared minimum is below the import's: it links only if
 * the provider has grown to `min` by the time of instantiation, which the firmware checks.
 */
export interface SizeCheck {
  import: number;
  kind: 'table' | 'memory';
  min: number;
}

export type LinkResult<Ref> =
  | { ok: true; providers: readonly { ref: Ref; name: string }[]; sizeChecks: readonly SizeCheck[] }
  | { ok: false; reason: 'unknown import' | 'incompatible import type'; message: string };

/**
 * Links a module's imports against the registered names. The result names, for each import in
 * order, which source provides it, or says why the module does not link (the spec's wording first).
 */
export function linkImports<Ref>(wasm: WasmModule, registry: ReadonlyMap<string, ExportSource<Ref>>): LinkResult<Ref> {
  const providers: { ref: Ref; name: string }[] = [];
  const sizeChecks: SizeCheck[] = [];
  for (const [index, imp] of wasm.imports.entries()) {
    const where = `"${imp.module}" "${imp.name}"`;
    const source = registry.get(imp.module);
    if (!source) return { ok: false, reason: 'unknown import', message: `unknown import ${where}: no module registered as "${imp.module}"` };
    const provided = source.types.get(imp.name);
    if (!provided) return { ok: false, reason: 'unknown import', message: `unknown import ${where}: "${imp.module}" exports no "${imp.name}"` };
    const wanted = importType(wasm, imp);
    if (!externTypeMatches(provided, wanted) && externTypeMatches(provided, wanted, true) && (wanted.kind === 'table' || wanted.kind === 'memory')) {
      sizeChecks.push({ import: index, kind: wanted.kind, min: wanted.type.limits.min });
    } else if (!externTypeMatches(provided, wanted)) {
      return {
        ok: false,
        reason: 'incompatible import type',
        message: `incompatible import type for ${where}: wants ${formatExternType(wanted)}, "${imp.module}" exports ${formatExternType(provided)}`,
      };
    }
    providers.push({ ref: source.ref, name: imp.name });
  }
  return { ok: true, providers, sizeChecks };
}


/**
 * The `spectest` host module of the reference interpreter, as runtime-c/spec/spectest.c defines
 * it: the type of each export and the symbols the lowering links an import of it against.
 */
export const spectestExports: ReadonlyMap<string, { type: ExternType; resolved: ResolvedImport }> = new Map(
  (
    [
      ['print', { kind: 'func', type: { params: [], results: [] } }],
      ['print_i32', { kind: 'func', type: { params: ['i32'], results: [] } }],
      ['print_i64', { kind: 'func', type: { params: ['i64'], results: [] } }],
      ['print_f32', { kind: 'func', type: { params: ['f32'], results: [] } }],
      ['print_f64', { kind: 'func', type: { params: ['f64'], results: [] } }],
      ['print_i32_f32', { kind: 'func', type: { params: ['i32', 'f32'], results: [] } }],
      ['print_f64_f64', { kind: 'func', type: { params: ['f64', 'f64'], results: [] } }],
      ['global_i32', { kind: 'global', type: { type: 'i32', mutable: false } }],
      ['global_i64', { kind: 'global', type: { type: 'i64', mutable: false } }],
      ['global_f32', { kind: 'global', type: { type: 'f32', mutable: false } }],
      ['global_f64', { kind: 'global', type: { type: 'f64', mutable: false } }],
      ['table', { kind: 'table', type: { elem: 'funcref', limits: { min: 10, max: 20 } } }],
      ['memory', { kind: 'memory', type: { limits: { min: 1, max: 2 }, pageSizeLog2: defaultPageSizeLog2 } }],
    ] as [string, ExternType][]
  ).map(([name, type]) => [name, { type, resolved: spectestSymbol(name, type) }]),
);

function spectestSymbol(name: string, type: ExternType): ResolvedImport {
  const symbol = `bento_spectest_${name}`;
  switch (type.kind) {
    case 'func':
      // Plain C functions with the internal convention's signature: no instance argument.
      return { kind: 'wasm-func', symbol };
    case 'global':
      return { kind: 'global', symbol };
    case 'table':
      return { kind: 'table', symbol };
    case 'memory':
      return { kind: 'memory', memorySymbol: symbol, instanceSymbol: 'bento_spectest_instance', reserve: memoryBytes(type.type, type.type.limits.max!) };
  }
}
