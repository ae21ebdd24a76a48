import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildProject } from '../build/build.js';
import { buildWasmProgram, defaultWasmStack } from '../build/wasm-program.js';
import { loadWasm } from '../compile/wasm.js';
import type { Board } from '../config/board.js';
import { loadRecipe } from '../config/recipe.js';
import type { Recipe } from '../config/recipe.js';
import { BentoError } from '../diagnostics/error.js';
import { measureObjects } from '../link/measure.js';
import { bentoRoot } from '../paths.js';
import { runFirmware } from '../run/qemu.js';
import { runTool } from '../toolchain/exec.js';
import { buildLibraryBox } from './library-boxes.js';
import { functionSymbols } from '../lower/names.js';

/**
 * `bento bench --libraries`: real libraries (third-party/, unmodified) running a workload of
 * bench/libraries/ natively, in a native box, in a Wasm box and as a WASI program (software and
 * mpu bounds). A workload is
 * `bench/libraries/<name>.c` and a host-only recipe `bench/libraries/<name>/bento.toml` whose
 * host sources, include folders and defines also make the WASI and the gcc builds, so the three
 * compile the same code with the same defines.
 */
export const librariesDir = join(bentoRoot, 'bench', 'libraries');

/** The workloads, in table order. */
export const libraryWorkloads = ['littlefs', 'cjson'] as const;

/**
 * native: the host-only recipe; native-box, wasm-box-*: the workload in a box (library-boxes.ts);
 * wasi-*: the WASI program under run-wasm's image with those bounds.
 */
export type LibraryVariant =
  | 'native'
  | 'native-box'
  | 'wasm-box-software'
  | 'wasm-box-mpu'
  | 'native-box-host-disk'
  | 'wasm-box-host-disk-software'
  | 'wasm-box-host-disk-mpu'
  | 'wasi-software'
  | 'wasi-mpu';
export const libraryVariants: readonly LibraryVariant[] = [
  'native',
  'native-box',
  'wasm-box-software',
  'wasm-box-mpu',
  'native-box-host-disk',
  'wasm-box-host-disk-software',
  'wasm-box-host-disk-mpu',
  'wasi-software',
  'wasi-mpu',
];
/** Variants with the block device in the host: littlefs's alone. */
export const hostDiskVariant = (v: LibraryVariant) => v.includes('host-disk');

/** One workload run as one variant on one board. */
export interface LibraryRun {
  board: string;
  workload: string;
  variant: LibraryVariant;
  /** What the workload printed on stdout: its result lines, the same for every variant. */
  result: string;
  /** Instructions of the workload alone (its own counter reads, QEMU -icount). */
  instructions: number;
  /** Bytes of the library's functions in the image: by their names, natively and in the compiled module. */
  libraryCode: number;
  /** The library's own data and bss (natively; the same C objects in linear memory otherwise). */
  libraryData: number;
  /** The deepest the stack went below the workload's caller: the main stack natively, the shadow stack in Wasm. */
  stack: number;
  /** The heap's high-water mark, where the workload counts it (cJSON's hooks; not inside a box). */
  heap: number;
  /** A box variant: the box's code and constants, and its RAM as planned (RAM region + linear memory). */
  box?: { code: number; ram: number };
}

/** A variant that cannot be built: a box that links what a box may not (B2008), with bento's words. */
export interface LibraryRefusal {
  board: string;
  workload: string;
  variant: LibraryVariant;
  reason: string;
}

interface WorkloadSources {
  recipe: Recipe;
  /** Absolute paths: the workload first, then the library's files. */
  sources: string[];
  /** The library's sources alone (under third-party/). */
  library: string[];
  flags: string[];
}

function workloadSources(workload: string): WorkloadSources {
  const recipe = loadRecipe(join(librariesDir, workload));
  const sources = recipe.host.sources.map((s) => resolve(recipe.dir, s));
  const flags = [...recipe.host.include.flatMap((d) => ['-I', resolve(recipe.dir, d)]), ...recipe.host.defines.map((d) => `-D${d}`)];
  return { recipe, sources, library: sources.filter((s) => s.includes('/third-party/')), flags };
}

const run = promisify(execFile);

/** The workload built by the system's gcc for the machine bento runs on, and what it prints: the reference. */
export async function referenceOutput(workload: string, outDir: string): Promise<string> {
  const { sources, flags } = workloadSources(workload);
  mkdirSync(outDir, { recursive: true });
  const exe = join(outDir, `${workload}-gcc`);
  try {
    await run('gcc', ['-O2', '-Wall', ...flags, ...sources, '-o', exe, '-lm']);
  } catch (err) {
    throw new BentoError({ code: 'B5002', message: `gcc could not build the ${workload} workload for this machine: ${(err as { stderr?: string }).stderr ?? String(err)}`, hint: 'the reference output needs the system gcc (Debian: build-essential)' });
  }
  const { stdout } = await run(exe, []);
  return stdout;
}

/**
 * The workload as a WASI program: each file compiled with -O2, then linked without an
 * optimisation level, as bento links a C box (clang-14 runs binaryen's wasm-opt on a link with
 * -O2 when it is installed, and that strips the function names this table needs).
 */
export async function buildWasi(workload: string, outDir: string): Promise<string> {
  const { sources, flags } = workloadSources(workload);
  mkdirSync(join(outDir, 'wasm'), { recursive: true });
  const target = ['--target=wasm32-wasi', '--sysroot=/usr'];
  const objects = [];
  for (const source of sources) {
    const object = join(outDir, 'wasm', basename(source).replace(/\.c$/, '.o'));
    await runTool('clang', [...target, '-O2', '-Wall', ...flags, '-c', source, '-o', object], { failCode: 'B5002', doing: `compiling ${basename(source)} for wasm32-wasi`, warnings: true });
    objects.push(object);
  }
  const wasm = join(outDir, `${workload}.wasm`);
  await runTool('clang', [...target, ...objects, '-o', wasm, '-lm'], { failCode: 'B5002', doing: `linking the ${workload} workload for wasm32-wasi` });
  return wasm;
}

/** Names of the functions defined in `objects` (Thumb objects), static ones included. */
async function definedFunctions(objects: readonly string[]): Promise<Set<string>> {
  const { stdout } = await runTool('nm', ['--defined-only', ...objects], { doing: 'reading the library objects' });
  return new Set(stdout.split('\n').flatMap((l) => /^[0-9a-f]+ [tT] (\S+)$/.exec(l)?.[1] ?? []));
}

/** Sizes of the function symbols of an image, by name. */
async function functionSizes(elf: string): Promise<Map<string, number>> {
  const { stdout } = await runTool('nm', ['-S', '--defined-only', elf], { doing: 'reading the image symbols' });
  const sizes = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const m = /^[0-9a-f]+ ([0-9a-f]+) [tT] (\S+)$/.exec(line);
    if (m) sizes.set(m[2]!, (sizes.get(m[2]!) ?? 0) + parseInt(m[1]!, 16));
  }
  return sizes;
}

/** The counter line a workload prints on stderr (count.h): instructions, stack and heap peaks. */
function parseCount(workload: string, text: string): { instructions: number; stack: number; heap: number } | undefined {
  const m = new RegExp(`^count ${workload} (\\d+) stack (\\d+) heap (\\d+)$`, 'm').exec(text);
  return m ? { instructions: Number(m[1]), stack: Number(m[2]), heap: Number(m[3]) } : undefined;
}

/** The result lines of a workload's output: those that start with its name. */
export function resultLines(workload: string, text: string): string {
  return text
    .split(/\r?\n/)
    .filter((l) => l.startsWith(`${workload}: `))
    .join('\n');
}

/**
 * Builds and runs one workload as one variant on one board, under QEMU -icount. The native
 * variant is the host-only recipe (clang -O2, bento's flags); the box variants a recipe
 * generated from it (library-boxes.ts); the WASI ones the program `wasm` (from buildWasi) under
 * run-wasm's image with those bounds.
 */
export async function runLibraryVariant(workload: string, variant: LibraryVariant, board: Board, wasm: string, outDir: string): Promise<LibraryRun> {
  const src = workloadSources(workload);
  // The native build is also where the library's function names and data come from.
  const native = await buildProject(src.recipe, board);
  const objects = native.objects.filter((o) => src.library.includes(resolve(o.source))).map((o) => o.object);
  const libraryNames = await definedFunctions(objects);
  const data = await measureObjects(objects);
  let elf = native.image.elf;
  let prefix: string | undefined;
  let module: string | undefined;
  let box: LibraryRun['box'];
  if (variant === 'wasi-software' || variant === 'wasi-mpu') {
    const dir = join(outDir, board.name, workload, variant);
    const bounds = variant === 'wasi-mpu' ? 'mpu' : 'software';
    const built = await buildWasmProgram({ wasmFile: wasm, board, bounds, outDir: dir, icount: false, stack: defaultWasmStack(board) });
    elf = built.image.elf;
    prefix = 'wasm_' + basename(wasm, '.wasm').replace(/[^A-Za-z0-9]/g, '_');
    module = wasm;
  } else if (variant !== 'native') {
    const kind = variant.startsWith('native-box') ? 'native' : 'wasm';
    const bounds = variant.endsWith('-mpu') ? 'mpu' : variant.endsWith('-software') ? 'software' : undefined;
    const built = await buildLibraryBox(workload, src.recipe, librariesDir, { kind, bounds, hostDisk: hostDiskVariant(variant) }, board, join(outDir, board.name, workload, variant));
    elf = built.built.image.elf;
    box = { code: built.box.sizes.code, ram: built.ram };
    if (kind === 'wasm') {
      prefix = built.box.prefix;
      module = join(built.built.outDir, 'obj', 'box', 'lib', 'module.wasm');
    }
  }
  let emulator = '';
  const ran = await runFirmware({ elf, board, timeoutSeconds: 300, icount: true, onEmulatorMessage: (t) => (emulator += t) });
  const count = parseCount(workload, `${ran.output}\n${emulator}\n${ran.emulatorOutput}`);
  if (ran.exitCode !== 0 || !count) {
    throw new BentoError({ code: 'B6003', message: `the ${workload} workload as ${variant} on ${board.name} did not finish (exit ${ran.exitCode}):\n${ran.output.trim()}\n${emulator.trim()}` });
  }
  const sizes = await functionSizes(elf);
  let libraryCode = 0;
  if (module === undefined) {
    for (const name of libraryNames) libraryCode += sizes.get(name) ?? 0;
  } else {
    // Compiled functions carry the name section's names (src/lower/names.ts): the same symbols here.
    const wasm = loadWasm(module);
    const imported = wasm.imports.filter((i) => i.desc.kind === 'func').length;
    functionSymbols(wasm, prefix!).forEach((symbol, i) => {
      const name = wasm.funcNames.get(imported + i);
      if (name !== undefined && libraryNames.has(name)) libraryCode += sizes.get(symbol) ?? 0;
    });
  }
  const inBox = box !== undefined;
  return { board: board.name, workload, variant, result: resultLines(workload, ran.output), instructions: count.instructions, libraryCode, libraryData: data.data + data.bss, stack: inBox ? 0 : count.stack, heap: inBox ? 0 : count.heap, ...(box ? { box } : {}) };
}

export interface LibraryResults {
  runs: LibraryRun[];
  refused: LibraryRefusal[];
  /** The gcc build's result lines, per workload. */
  references: Record<string, string>;
}

/** Every workload as every variant on every board, and the gcc reference of each. */
export async function measureLibraries(plan: { boards: readonly Board[]; workloads: readonly string[]; variants?: readonly LibraryVariant[]; outDir: string; onRun?: (r: LibraryRun) => void; onRefused?: (r: LibraryRefusal) => void }): Promise<LibraryResults> {
  const runs: LibraryRun[] = [];
  const refused: LibraryRefusal[] = [];
  const references: Record<string, string> = {};
  for (const workload of plan.workloads) {
    references[workload] = resultLines(workload, await referenceOutput(workload, join(plan.outDir, 'gcc')));
    const wasm = await buildWasi(workload, join(plan.outDir, 'wasi', workload));
    for (const board of plan.boards) {
      for (const variant of plan.variants ?? libraryVariants) {
        if (hostDiskVariant(variant) && workload !== 'littlefs') continue;
        let r: LibraryRun;
        try {
          r = await runLibraryVariant(workload, variant, board, wasm, plan.outDir);
        } catch (err) {
          // A native box may not link the C library's stateful functions (cJSON's sprintf, strtod, malloc).
          const refusals = err instanceof BentoError ? err.diagnostics.filter((d) => d.code === 'B2008') : [];
          if (refusals.length === 0) throw err;
          const symbols = refusals.map((d) => /uses '([^']+)'/.exec(d.message)?.[1] ?? d.message);
          const x = { board: board.name, workload, variant, reason: `the box uses ${symbols.join(', ')}, which a native box may not (B2008)` };
          refused.push(x);
          plan.onRefused?.(x);
          continue;
        }
        runs.push(r);
        plan.onRun?.(r);
      }
    }
  }
  return { runs, refused, references };
}

/** Runs whose result lines differ from the gcc reference, in words. */
export function resultMismatches(results: LibraryResults): string[] {
  return results.runs.filter((r) => r.result !== results.references[r.workload]).map((r) => `${r.workload} as ${r.variant} on ${r.board} printed '${r.result}', gcc '${results.references[r.workload]}'`);
}
