// Symbols of a module's defined functions. A function the "name" section names is
// `<prefix>.<name>` (`box_lfs.lfs_dir_fetch`), so nm, the map file, a profiler and gdb show the
// source's name; one it does not name stays `<prefix>_f<index>`.
//
// Why a dot: every other symbol of an instance is `<prefix>_<something>` (`_export_run`, `_init`,
// `_g3`, the glue's `__import_x`), and C identifiers cannot hold a dot, so `<prefix>.<name>` can
// clash with none of them, with no C symbol, and with no other instance (prefixes are unique per
// image). ELF and LLVM take the dot as it is (GCC's own `f.constprop.0` has one); gdb wants
// such a name quoted: `break 'box_lfs.lfs_dir_fetch'`.
import type { WasmModule } from '../wasm/types.js';

/** The name as symbol text: letters, digits and _ kept, anything else (C++'s `::`, `(`, spaces) becomes _. */
export function symbolText(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

/**
 * Symbol of each defined function, in the order of the code section. A name that two functions
 * share (static functions of two C files, or names that only differ in what symbolText replaces)
 * gets the function index too, `<prefix>.<name>.<index>`: a name never holds a dot, so that can
 * be nobody else's.
 */
export function functionSymbols(wasm: WasmModule, prefix: string): string[] {
  const imported = wasm.imports.filter((i) => i.desc.kind === 'func').length;
  const texts = wasm.funcTypes.map((_, i) => {
    const name = wasm.funcNames.get(imported + i);
    return name === undefined || name === '' ? undefined : symbolText(name);
  });
  const uses = new Map<string, number>();
  for (const t of texts) if (t !== undefined) uses.set(t, (uses.get(t) ?? 0) + 1);
  return texts.map((t, i) => {
    const index = imported + i;
    if (t === undefined) return `${prefix}_f${index}`;
    return uses.get(t) === 1 ? `${prefix}.${t}` : `${prefix}.${t}.${index}`;
  });
}

/** What a function symbol of a compiled module says about itself, for the fault explainer. */
export interface WasmFunctionSymbol {
  /** The instance's prefix (`box_lfs`). */
  prefix: string;
  /** The name from the name section, as symbol text; undefined for `<prefix>_f<index>`. */
  name?: string;
  /** The function index, when the symbol carries it. */
  index?: number;
}

/** Reads a symbol functionSymbols makes back into its parts; undefined for any other symbol. */
export function parseFunctionSymbol(symbol: string): WasmFunctionSymbol | undefined {
  const named = /^([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)(?:\.(\d+))?$/.exec(symbol);
  if (named) return { prefix: named[1]!, name: named[2]!, index: named[3] === undefined ? undefined : Number(named[3]) };
  const indexed = /^([A-Za-z0-9_]+?)_f(\d+)$/.exec(symbol);
  if (indexed) return { prefix: indexed[1]!, index: Number(indexed[2]) };
  return undefined;
}
