// Mistakes at the box boundary, found when a link fails on a missing symbol: a Wasm box calling
// a function it did not import (wasm-ld), or the host calling one no box exports (the image's
// link). Each becomes a located error with the recipe line that would fix it; what the linker
// said beyond the missing symbols is kept and shown after.
import { basename, resolve } from 'node:path';
import type { Recipe, RecipeBox } from '../config/recipe.js';
import type { Diagnostic, SourceLocation } from '../diagnostics/error.js';
import type { ErrorCode } from '../diagnostics/codes.js';
import { formatLocation } from '../diagnostics/print.js';
import { closest } from '../diagnostics/suggest.js';
import type { LinkerReport, UndefinedReference } from '../toolchain/linker-output.js';

/** A function the recipe says the host or a box exports, with its signature as written. */
export interface RecipeExport {
  /** `the host` or `box <name>`. */
  party: string;
  text: string;
  location: SourceLocation;
}

/** Every export of the recipe by name (names are global; the first party wins if two claim one). */
export function recipeExports(recipe: Recipe): Map<string, RecipeExport> {
  const out = new Map<string, RecipeExport>();
  const add = (party: string, exports: Recipe['host']['exports']) => {
    for (const [name, sig] of exports) if (!out.has(name)) out.set(name, { party, text: sig.text, location: sig.location });
  };
  add('the host', recipe.host.exports);
  for (const box of recipe.boxes) add(`box ${box.name}`, box.exports);
  return out;
}

/** Where a table of the recipe is, as `bento.toml:7:1`. */
export const recipePlace = (location: SourceLocation) => formatLocation({ ...location, context: undefined, file: basename(location.file) });

/**
 * The header every box can include: it declares the including box's own imports and exports
 * (for a Wasm box, with the attributes that make them the module's imports and exports).
 */
export const boxHeader = 'bento_box.h';

/**
 * What a box's source is told when it calls one of the box's imports without the box's header:
 * the compiler took the import for an ordinary external function (after an implicit
 * declaration, or a prototype of the source's own), which is not the import the recipe declares.
 */
export function missingHeaderProblem(box: RecipeBox, symbol: string, sources: readonly string[]): { message: string; hint: string } {
  const files = sources.map((f) => basename(f));
  const where = files.length > 0 ? files.join(', ') : 'a source of the box';
  const name = importNamed(box, symbol) ?? symbol;
  const declared = box.imports.get(name)?.location ?? box.location;
  const key = name.includes('.') ? `imports."${name}"` : `imports.${name}`;
  return {
    message: `box ${box.name}: ${where} ${files.length > 1 ? 'call' : 'calls'} '${symbol}', an import of the box, without the box's header, so the compiler took it for an ordinary external function, not the import`,
    hint: `#include "${boxHeader}" in ${where}: it declares the box's imports as the recipe gives them (${key} at ${recipePlace(declared)})`,
  };
}

/** The recipe's name of the box's import whose C name is `symbol` (the qualified `volume.mount` is volume_mount in C). */
export function importNamed(box: RecipeBox, symbol: string): string | undefined {
  return [...box.imports.keys()].find((name) => name.replace('.', '_') === symbol);
}

/** The hint for a box that uses `symbol` without importing it. */
export function boxImportHint(box: RecipeBox, symbol: string, exported: ReadonlyMap<string, RecipeExport>): string {
  const own = `box.${box.name}`;
  const found = exported.get(symbol);
  if (importNamed(box, symbol) !== undefined) return missingHeaderProblem(box, symbol, []).hint;
  if (found && found.party !== `box ${box.name}`) return foreignExportHint(box, symbol, found.party, found.text);
  const imported = [...box.imports.keys()];
  const others = [...exported].filter(([, e]) => e.party !== `box ${box.name}`).map(([name]) => name);
  const guess = closest(symbol, [...imported, ...others]);
  if (guess && box.imports.has(guess)) return `did you mean '${guess}'? (${own}.imports declares it)`;
  if (guess) return `did you mean '${guess}'? (${exported.get(guess)!.party} exports it; add it to ${own}.imports)`;
  return `define it in the box's sources, or export it from the host or another box and add it to ${own}.imports (${recipePlace(box.location)})`;
}

/** A box calls another party's export it did not import: the recipe line to add, and the header that then declares it. */
export function foreignExportHint(box: RecipeBox, symbol: string, party: string, signature: string): string {
  return `${party} exports it: add imports.${symbol} = "${signature}" to [box.${box.name}] (${recipePlace(box.location)}), and #include "${boxHeader}" where it is called`;
}

/** Groups references by symbol, keeping the order the linker reported them in. */
function bySymbol(refs: readonly UndefinedReference[]): Map<string, UndefinedReference[]> {
  const out = new Map<string, UndefinedReference[]>();
  for (const r of refs) out.set(r.symbol, [...(out.get(r.symbol) ?? []), r]);
  return out;
}

/** The source a reference comes from: the line's own file when the linker read debug information, else the object's source. */
function sourceOf(ref: UndefinedReference, sources: ReadonlyMap<string, string>): { file: string; line?: number } | undefined {
  if (ref.source !== undefined && ref.line !== undefined) return { file: ref.source, line: ref.line };
  const object = ref.object === undefined ? undefined : [...sources.keys()].find((o) => o === ref.object || resolve(o) === resolve(ref.object!) || basename(o) === ref.object);
  if (object) return { file: sources.get(object)! };
  return ref.object !== undefined ? { file: ref.object } : undefined;
}

/** The linker's other lines, when there are any, as one more problem after bento's. */
function restOf(report: LinkerReport, code: ErrorCode, what: string): Diagnostic[] {
  return report.rest.length > 0 ? [{ code, message: `${what}; the linker also said:\n${report.rest.join('\n')}` }] : [];
}

export interface WasmUndefinedInput {
  box: RecipeBox;
  report: LinkerReport;
  /** Each object of the module with the source it was compiled from. */
  sources: ReadonlyMap<string, string>;
  exported: ReadonlyMap<string, RecipeExport>;
}

/** wasm-ld's missing symbols of a Wasm box (B2009), each at the source that uses it. */
export function wasmBoxUndefined(input: WasmUndefinedInput): Diagnostic[] {
  const { box } = input;
  const problems: Diagnostic[] = [];
  for (const [symbol, refs] of bySymbol(input.report.undefined)) {
    const users = [...new Set(refs.map((r) => sourceOf(r, input.sources)?.file).filter((f): f is string => f !== undefined))];
    const where = users[0];
    const also = users.length > 1 ? ` (also ${users.slice(1).map((u) => basename(u)).join(', ')})` : '';
    const location = where ? { file: where, context: `symbol ${symbol}` } : box.location;
    if (importNamed(box, symbol) !== undefined) {
      problems.push({ code: 'B2009', location, ...missingHeaderProblem(box, symbol, users) });
      continue;
    }
    problems.push({
      code: 'B2009',
      message: `box ${box.name}: ${where ? basename(where) : 'the module'} uses '${symbol}'${also}, which the box neither defines nor imports`,
      location,
      hint: boxImportHint(box, symbol, input.exported),
    });
  }
  return [...problems, ...restOf(input.report, 'B5002', `box ${box.name}: linking its WebAssembly module failed`)];
}

export interface HostUndefinedInput {
  recipe: Recipe;
  report: LinkerReport;
  /** Each object of the image compiled from C, with its source. */
  sources: ReadonlyMap<string, string>;
  /** The folder of the generated glue (a reference from there is the recipe's, not a source's). */
  glueDir: string;
}

/** The image link's missing symbols (B2010): at the host source and line that uses each, with a did-you-mean over the boxes' exports. */
export function hostUndefined(input: HostUndefinedInput): Diagnostic[] {
  const { recipe } = input;
  const exported = recipeExports(recipe);
  const problems: Diagnostic[] = [];
  for (const [symbol, refs] of bySymbol(input.report.undefined)) {
    const from = sourceOf(refs[0]!, input.sources);
    const inFunction = refs[0]!.function ? ` in ${refs[0]!.function}()` : '';
    if (symbol === 'main') {
      problems.push({ code: 'B2010', message: 'no host source defines main()', location: recipe.host.location, hint: 'bento starts the host at int main(void): define it in one of host.sources' });
      continue;
    }
    if (from && resolve(from.file).startsWith(resolve(input.glueDir))) {
      problems.push(glueProblem(recipe, symbol, from.file));
      continue;
    }
    const location = from ? { file: from.file, ...(from.line !== undefined ? { line: from.line } : {}), context: `symbol ${symbol}` } : recipe.host.location;
    problems.push({
      code: 'B2010',
      message: `${from ? basename(from.file) : 'the image'} uses '${symbol}'${inFunction}, which neither the host's sources nor any box's exports define`,
      location,
      hint: hostHint(recipe, symbol, exported),
    });
  }
  return [...problems, ...restOf(input.report, 'B5003', 'linking the image failed')];
}

function hostHint(recipe: Recipe, symbol: string, exported: ReadonlyMap<string, RecipeExport>): string {
  const found = exported.get(symbol);
  if (found && found.party !== 'the host') return `${found.party} exports it: add imports.${symbol} = "${found.text}" to [host] (${recipePlace(recipe.host.location)})`;
  const boxExports = [...exported].filter(([, e]) => e.party !== 'the host');
  const guess = closest(symbol, boxExports.map(([name]) => name));
  if (guess) return `did you mean '${guess}'? (${exported.get(guess)!.party} exports it)`;
  return 'define it in one of host.sources, or export it from a box and add it to host.imports';
}

/** A symbol the generated glue needs: a host export or interrupt handler the recipe names but no host source defines. */
function glueProblem(recipe: Recipe, symbol: string, glue: string): Diagnostic {
  const exportedBy = recipe.host.exports.get(symbol);
  if (exportedBy) {
    return { code: 'B2010', message: `the recipe says the host exports '${symbol}', but no host source defines it`, location: exportedBy.location, hint: `define ${symbol} in one of host.sources (its prototype is in bento_host.h), or take it out of host.exports` };
  }
  const handler = recipe.host.interrupts.find((i) => i.handler === symbol);
  if (handler) {
    return { code: 'B2010', message: `host.interrupts.${handler.name} names the handler '${symbol}', but no host source defines it`, location: handler.location.handler, hint: `define void ${symbol}(void) in one of host.sources` };
  }
  return { code: 'B2010', message: `the generated ${basename(glue)} uses '${symbol}', which nothing in the image defines`, location: { file: glue, context: `symbol ${symbol}` } };
}
