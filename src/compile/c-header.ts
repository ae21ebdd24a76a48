// The C header `bento compile` writes beside an object: a typed view model (a pure function of
// the module, what the lowering emitted and what the object leaves undefined) rendered from
// templates/wasm-object.h.hbs.
import type { LoweredExport, LoweredModule } from '../lower/module.js';
import type { BoundsStrategy } from '../lower/types.js';
import { formatFuncType, wasiModule } from '../link/wasi.js';
import type { FuncType, GlobalType, ValType, WasmModule } from '../wasm/types.js';
import { cIdentifierText, importSymbol } from './c-imports.js';
import { funcTypeOf, resultsAdapterSymbol } from './multi-value.js';
import type { ObjectNeeds } from './object-needs.js';

const cTypes: Record<ValType, string> = {
  i32: 'int32_t',
  i64: 'int64_t',
  f32: 'float',
  f64: 'double',
  funcref: 'const bento_wasm_funcref_t *',
  externref: 'void *',
  v128: 'void', // refused by the decoder; never reached
};

export interface CFunction {
  /** The Wasm name (`module.name` for an import). */
  wasmName: string;
  /** `(i32, i64) -> f32`. */
  wasmType: string;
  result: string;
  name: string;
  params: string;
  /** ` __asm__("symbol")` when the C name is not the object's symbol; empty otherwise. */
  asmLabel: string;
}

export interface CVariable {
  wasmName: string;
  what: string;
  declaration: string;
}

export interface CHeaderView {
  banner: string;
  guard: string;
  /** The prefix in capitals, for macros. */
  macro: string;
  prefix: string;
  wasmFile: string;
  bounds: BoundsStrategy;
  init: string;
  instance: string;
  memory?: { symbol: string; initial: string; reserve: string; reserveValue: string; external: boolean };
  functions: CFunction[];
  /** Exports with several results, through their adapters (multi-value.ts). */
  multiValue: (CFunction & { structName: string; fields: string[] })[];
  variables: CVariable[];
  imports: CFunction[];
  needs: ObjectNeeds & { stackLimit: boolean; unalignedHandler: boolean };
  runtimeSources: string[];
}

export interface CHeaderInput {
  banner: string;
  wasm: WasmModule;
  wasmFile: string;
  prefix: string;
  bounds: BoundsStrategy;
  lowered: Omit<LoweredModule, 'module'>;
  needs: ObjectNeeds;
  unalignedHandler: boolean;
}

function globalTypeOf(wasm: WasmModule, index: number): GlobalType {
  const imported = wasm.imports.flatMap((i) => (i.desc.kind === 'global' ? [i.desc.global] : []));
  return index < imported.length ? imported[index]! : wasm.globals[index - imported.length]!.type;
}

function params(types: readonly ValType[], instance: boolean): string {
  const list = types.map((t, i) => `${cTypes[t]} a${i}`);
  if (instance) list.unshift('bento_wasm_instance_t *instance');
  return list.length === 0 ? 'void' : list.join(', ');
}

function result(t: FuncType): string {
  return t.results.length === 1 ? cTypes[t.results[0]!] : 'void';
}

const label = (name: string, symbol: string) => (name === symbol ? '' : ` __asm__("${symbol}")`);

/**
 * The C name of each export: `<prefix>_export_<name as a C identifier>`, bound to the object's
 * symbol with an asm label when they differ (the lowering writes `_` as `_5f`). A name that
 * would clash with another export's name or symbol, or a multi-value adapter's, keeps the symbol itself.
 */
function exportNames(prefix: string, exports: readonly LoweredExport[], adapters: readonly string[]): string[] {
  const wanted = exports.map((e) => `${prefix}_export_${cIdentifierText(e.name)}`);
  const symbols = new Set([...exports.map((e) => e.symbol), ...adapters]);
  return wanted.map((name, i) => {
    const clash = wanted.some((other, k) => k !== i && other === name) || (symbols.has(name) && exports[i]!.symbol !== name);
    return clash ? exports[i]!.symbol : name;
  });
}

export function cHeaderView(input: CHeaderInput): CHeaderView {
  const { wasm, lowered, prefix } = input;
  const adapters = wasm.exports.filter((e) => e.kind === 'func' && funcTypeOf(wasm, e.index).results.length > 1).map((e) => resultsAdapterSymbol(prefix, e.name));
  const names = exportNames(prefix, lowered.exports, adapters);
  const functions: CFunction[] = [];
  const multiValue: CHeaderView['multiValue'] = [];
  const variables: CVariable[] = [];
  lowered.exports.forEach((e, i) => {
    const name = names[i]!;
    const index = wasm.exports[i]!.index;
    switch (e.kind) {
      case 'func': {
        const type = funcTypeOf(wasm, index);
        const fn = { wasmName: e.name, wasmType: formatFuncType(type), result: result(type), name, params: params(type.params, false), asmLabel: label(name, e.symbol) };
        if (type.results.length < 2) {
          functions.push(fn);
          break;
        }
        const structName = `${name}_results_t`;
        const list = fn.params === 'void' ? [] : [fn.params];
        multiValue.push({
          ...fn,
          name: `${name}_results`,
          params: [...list, `${structName} *out`].join(', '),
          asmLabel: label(`${name}_results`, resultsAdapterSymbol(prefix, e.name)),
          structName,
          fields: type.results.map((r, k) => `${cTypes[r]} r${k}`),
        });
        break;
      }
      case 'global': {
        const g = globalTypeOf(wasm, index);
        const type = `${g.mutable ? '' : 'const '}${cTypes[g.type]}`;
        variables.push({ wasmName: e.name, what: `${g.mutable ? 'mutable ' : ''}global ${g.type}`, declaration: `extern ${type} ${name}${label(name, e.symbol)};` });
        break;
      }
      case 'memory':
        variables.push({ wasmName: e.name, what: 'memory (its current size is the instance record\'s memory_size)', declaration: `extern uint8_t ${name}[]${label(name, e.symbol)};` });
        break;
      case 'table':
        variables.push({ wasmName: e.name, what: 'table', declaration: `extern bento_wasm_table_t ${name}${label(name, e.symbol)};` });
        break;
    }
  });
  const seen = new Set<string>();
  const imports: CFunction[] = [];
  for (const imp of wasm.imports) {
    if (imp.desc.kind !== 'func') continue;
    const wasi = imp.module === wasiModule;
    const name = wasi ? `bento_wasi_${imp.name}` : importSymbol(prefix, imp);
    if (seen.has(name)) continue;
    seen.add(name);
    const type = wasm.types[imp.desc.typeIndex]!;
    imports.push({ wasmName: `${imp.module}.${imp.name}`, wasmType: formatFuncType(type), result: result(type), name, params: params(type.params, true), asmLabel: '' });
  }
  const memory = lowered.memorySymbol
    ? {
        symbol: lowered.memorySymbol,
        initial: bytes(initialMemory(wasm)),
        reserve: bytes(lowered.memoryReserve),
        reserveValue: `${lowered.memoryReserve}u`,
        external: input.needs.firmware.includes(lowered.memorySymbol),
      }
    : undefined;
  return {
    banner: input.banner,
    guard: `${prefix.toUpperCase()}_H`,
    macro: prefix.toUpperCase(),
    prefix,
    wasmFile: input.wasmFile,
    bounds: input.bounds,
    init: lowered.initSymbol,
    instance: lowered.instanceSymbol,
    memory,
    functions,
    multiValue,
    variables,
    imports,
    // The stack limit, imports and memory have their own lines; anything else is listed as it is.
    needs: { ...input.needs, firmware: input.needs.firmware.filter((s) => s !== 'bento_wasm_stack_limit' && s !== lowered.memorySymbol && !seen.has(s)), stackLimit: input.needs.firmware.includes('bento_wasm_stack_limit'), unalignedHandler: input.unalignedHandler },
    runtimeSources: input.needs.runtimeSources,
  };
}

function initialMemory(wasm: WasmModule): number {
  const m = wasm.memories[0];
  return m ? m.limits.min * 2 ** m.pageSizeLog2 : 0;
}

/** `65536 bytes (64 KiB)`. */
function bytes(n: number): string {
  return n % 1024 === 0 ? `${n} bytes (${n / 1024} KiB)` : `${n} bytes`;
}
