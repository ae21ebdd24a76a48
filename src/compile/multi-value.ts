// C adapters for exports with several results. The lowering returns them as an LLVM struct,
// which llc hands back in registers (`(i32, i64)` in r0, r1:r2), a convention no C prototype
// states. `bento compile` appends to the module, as IR text, one adapter per such export:
// `void <prefix>_export_<name>_results(<params>, <struct> *out)`, which calls the export and
// stores the struct where C wants it. LLVM lays the struct out as AAPCS lays out the C struct
// the header declares (fields in order, each at its natural alignment).
import { exportSymbolName } from '../lower/module.js';
import type { FuncType, ValType, WasmModule } from '../wasm/types.js';

const irTypes: Record<ValType, string> = { i32: 'i32', i64: 'i64', f32: 'float', f64: 'double', funcref: 'i8*', externref: 'i8*', v128: '<16 x i8>' };

/** The adapter's symbol: `_results` cannot end an export's own symbol, whose `_` is always `_xx`. */
export function resultsAdapterSymbol(prefix: string, exportName: string): string {
  return `${prefix}_export_${exportSymbolName(exportName)}_results`;
}

/** The Wasm type of function `index`, imported functions first. */
export function funcTypeOf(wasm: WasmModule, index: number): FuncType {
  const imported = wasm.imports.flatMap((i) => (i.desc.kind === 'func' ? [i.desc.typeIndex] : []));
  return wasm.types[index < imported.length ? imported[index]! : wasm.funcTypes[index - imported.length]!]!;
}

/** IR text defining the adapters of every multi-value function export; '' when there is none. */
export function multiValueAdapters(wasm: WasmModule, prefix: string): string {
  const out: string[] = [];
  for (const e of wasm.exports) {
    if (e.kind !== 'func') continue;
    const type = funcTypeOf(wasm, e.index);
    if (type.results.length < 2) continue;
    const struct = `{ ${type.results.map((r) => irTypes[r]).join(', ')} }`;
    const params = type.params.map((p, i) => `${irTypes[p]} %a${i}`);
    out.push(
      '',
      `define void @${resultsAdapterSymbol(prefix, e.name)}(${[...params, `${struct}* %out`].join(', ')}) {`,
      // noinline: the export carries debug locations that must stay in a function with a subprogram.
      `  %r = call ${struct} @${prefix}_export_${exportSymbolName(e.name)}(${params.join(', ')}) #4244`,
      `  store ${struct} %r, ${struct}* %out`,
      '  ret void',
      '}',
    );
  }
  if (out.length === 0) return '';
  out.push('attributes #4244 = { noinline }', '');
  return out.join('\n');
}
