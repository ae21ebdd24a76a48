import { isAbsolute, normalize, relative } from 'node:path';
import { parseFunctionSymbol } from '../lower/names.js';
import { runTool } from '../toolchain/exec.js';

export interface SourceLine {
  function: string;
  file: string;
  line: number;
}

/** What an address is in the image: the function around it and, with debug info, its lines. */
export interface CodeLocation {
  /** The symbol-table function that contains the address. */
  function: string;
  /** Innermost first: the line itself, then each function it was inlined into (line 0: no line known). Empty without line information. */
  lines: SourceLine[];
}

interface FunctionSymbol {
  name: string;
  start: number;
  end: number;
}

/** Function symbols with a size from `nm -S` (code symbols: t, T, w, W). */
export function parseFunctionSymbols(nmOutput: string): FunctionSymbol[] {
  const symbols: FunctionSymbol[] = [];
  for (const line of nmOutput.split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) ([tTwW]) (\S+)$/.exec(line.trim());
    if (!m) continue;
    const start = Number.parseInt(m[1]!, 16);
    symbols.push({ name: m[4]!, start, end: start + Number.parseInt(m[2]!, 16) });
  }
  return symbols;
}

/**
 * `addr2line -a -f -i` output: per address a line `0x...`, then a function and `file:line` pair
 * for the line and for each function it was inlined into. `??` marks what debug info lacks; a
 * function whose file is known but not its line (`x.wasm:?`) is kept with line 0.
 */
export function parseAddr2line(output: string): Map<number, SourceLine[]> {
  const result = new Map<number, SourceLine[]>();
  let current: SourceLine[] | undefined;
  const lines = output.split('\n').filter((l) => l.length > 0);
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (/^0x[0-9a-f]+$/.test(text)) {
      current = [];
      result.set(Number.parseInt(text, 16), current);
      continue;
    }
    const where = lines[++i] ?? '??:?';
    const m = /^(.*):(\d+|\?)(?: \(discriminator \d+\))?$/.exec(where);
    if (current && m && m[1] !== '??' && text !== '??') current.push({ function: text, file: m[1]!, line: m[2] === '?' ? 0 : Number(m[2]) });
  }
  return result;
}

/**
 * Looks addresses up in an ELF: the containing function from the symbol table, the source lines
 * from its DWARF through arm-none-eabi-addr2line. (llvm-symbolizer-14 picks the wrong compile unit
 * near address 0, where GNU ld leaves the debug ranges of the sections it dropped; addr2line does
 * not.) Lines are kept only when the outermost function they name is the containing symbol, so a
 * dropped section's stale line never names the wrong place. Addresses outside every function
 * map to undefined.
 */
export async function symbolize(elf: string, addresses: readonly number[]): Promise<Map<number, CodeLocation | undefined>> {
  const doing = `reading the debug info of ${elf}`;
  const [nm, a2l] = await Promise.all([
    runTool('nm', ['-S', '--defined-only', elf], { doing }),
    runTool('addr2line', ['-a', '-f', '-i', '-e', elf, ...addresses.map((a) => `0x${a.toString(16)}`)], { doing }),
  ]);
  const functions = parseFunctionSymbols(nm.stdout);
  const lines = parseAddr2line(a2l.stdout);
  const result = new Map<number, CodeLocation | undefined>();
  for (const address of addresses) {
    const around = functions.filter((f) => f.start <= address && address < f.end);
    if (around.length === 0) {
      result.set(address, undefined);
      continue;
    }
    const found = lines.get(address) ?? [];
    const outermost = found[found.length - 1];
    const owner = around.find((f) => f.name === outermost?.function);
    // Functions the chain passes through without a line (compiled Wasm code of no source line) are left out.
    result.set(address, { function: owner?.name ?? around[0]!.name, lines: owner ? found.filter((l) => l.line > 0) : [] });
  }
  return result;
}

/** A source path as the user sees it: relative to the current folder when inside it. */
export function shownPath(file: string): string {
  const path = normalize(file);
  const inside = relative(process.cwd(), path);
  return isAbsolute(path) && !inside.startsWith('..') ? inside : path;
}

/**
 * What a symbol of compiled Wasm code is: a function the name section names (`box_lfs.lfs_dir_fetch`,
 * see lower/names.ts), an unnamed one (`box_lfs_f63`), an export's entry or the init function,
 * of a box (`box_<box>`) or a run-wasm program (`wasm_<name>`). Undefined for anything else.
 */
function wasmCodeOf(symbol: string): string | undefined {
  const owner = (prefix: string) => (prefix.startsWith('box_') ? `box ${prefix.slice(4)}` : prefix.startsWith('wasm_') ? `module ${prefix.slice(5)}` : undefined);
  // An export's entry first: `box_w_export_get_f2` is the export get_f2, not function 2.
  const entry = /^((?:box|wasm)_.+?)_(?:export_.+|init)$/.exec(symbol);
  if (entry) return owner(entry[1]!);
  const fn = parseFunctionSymbol(symbol);
  const of = fn && owner(fn.prefix);
  if (!fn || !of) return undefined;
  if (fn.name === undefined) return `Wasm function ${fn.index} of ${of}`;
  return `Wasm function ${fn.name}${fn.index !== undefined ? ` (${fn.index})` : ''} of ${of}`;
}

/** "in main at src/main.c:20", with inlining and the Wasm cases spelled out. */
export function describeLocation(location: CodeLocation | undefined): string {
  if (!location) return 'is not inside any function';
  if (location.lines.length === 0) {
    const which = wasmCodeOf(location.function);
    if (!which) return `in ${location.function} (no line information)`;
    return `in ${location.function} (${which}: compiled from Wasm, no source lines)`;
  }
  const [first, ...outer] = location.lines;
  const at = (l: SourceLine) => `${l.function} at ${shownPath(l.file)}:${l.line}`;
  return `in ${at(first!)}${outer.map((l) => `, inlined into ${at(l)}`).join('')}`;
}
