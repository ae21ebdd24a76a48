// The RAM each box of an example takes on a board: as a Wasm box under each bounds strategy, as a
// native MPU box, and as plain native code without a box (`bento bench --ram`, issue 14).
// Nothing runs: every number comes from a build's memory plan, its objects and its linked image.
import { readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { buildProject } from '../build/build.js';
import type { ProjectResult } from '../build/build.js';
import { boxObjectDir } from '../build/box-objects.js';
import type { Board } from '../config/board.js';
import { region } from '../config/board.js';
import { loadRecipe } from '../config/recipe.js';
import type { Recipe, RecipeBox } from '../config/recipe.js';
import { compileC } from '../compile/native-c.js';
import { BentoError } from '../diagnostics/error.js';
import { measureObjects } from '../link/measure.js';
import { boundsStrategies } from '../lower/types.js';
import type { BoundsStrategy } from '../lower/types.js';
import type { RegionRule } from '../plan/mpu-regions.js';
import { regionRule } from '../plan/plan.js';
import { bentoRoot } from '../paths.js';
import { runTool } from '../toolchain/exec.js';
import { decodeModule } from '../wasm/decode.js';

/** The examples the RAM table covers by default. */
export const ramExamples = ['hello', 'qsort', 'mandelbrot', 'mixed'] as const;

/** A variant bento refused to build: its error codes, and what the first one says. */
export interface Refused {
  refused: true;
  codes: readonly string[];
  /** The first diagnostic's message. */
  reason: string;
  /** Every symbol a native box may not use (B2008), sorted, when that is why. */
  symbols: readonly string[];
}

/** What the link put in a box's RAM region, in bytes, from the image's `__bento_box_<name>_*` symbols. */
export interface RegionContents {
  /** The region's bottom: the box's stack (a Wasm box's native stack, for its compiled code). */
  stack: number;
  /** .data and .bss of the box's objects (a Wasm box's: its instance record, globals and tables). */
  objects: number;
  /** From the region's start to its heap: stack, the objects' data and bss, and the alignment between them. */
  used: number;
}

/** A box as one build placed it. */
export interface PlannedBox {
  /** Its RAM region as planned (MPU-rounded). */
  ram: number;
  contents: RegionContents;
  /** Host RAM the box costs outside its regions: its record (`bento_box_<name>`) and, for a Wasm box, the host's copy of its instance (`trusted_<name>`). */
  hostRecord: number;
}

export interface WasmPlanned extends PlannedBox {
  /** Its linear memory as planned (MPU-rounded; a power of two with mask bounds). */
  memory: number;
}

/** The box's C compiled to Wasm: where its shadow stack ends and its data and bss begin. */
/** A native MPU box: its region, and the stack, data, bss and heap it needs (its own objects, measured). */
export interface NativePlanned extends PlannedBox {
  stack: number;
  data: number;
  bss: number;
  heap: number;
}

export interface WasmModuleRam {
  /** The shadow stack, first in linear memory (the recipe's `stack`). */
  stack: number;
  /** Bytes of its data segments (initial values, constants included: they live in linear memory). */
  data: number;
  /** The rest up to `__heap_base`: zero-initialised data and the gaps between segments. */
  bss: number;
  /** The recipe's `heap`, after `__heap_base`. */
  heap: number;
  /** Why the memory keeps 64 KiB pages, when it was not sized to the module (custom-page-sizes). */
  unsized?: string;
}

export interface BoxRam {
  example: string;
  box: string;
  board: string;
  rule: RegionRule;
  /** The runtime the example's recipe gives the box. */
  runtime: 'wasm' | 'native';
  module: WasmModuleRam | Refused;
  /** One per bounds strategy built, in the plan's order. */
  wasm: readonly { bounds: BoundsStrategy; planned: WasmPlanned | Refused }[];
  /** The same C as a native MPU box: its placement and what it needs, or why bento refused it. */
  native: NativePlanned | Refused;
  /** The same C compiled for the board as host code: its own data and bss (libc state it shares with the host not counted). */
  hostCode: { data: number; bss: number; stack: number };
}

/** One example on one board: its boxes, and the holes each build's plan left between box regions. */
export interface ExampleRam {
  example: string;
  board: string;
  rule: RegionRule;
  boxes: readonly BoxRam[];
  /** Per Wasm bounds strategy (every box a Wasm box): bytes between the host's RAM and the top of RAM that no box region holds. */
  holes: readonly { bounds: BoundsStrategy; bytes: number }[];
}

export interface RamTablePlan {
  examples: readonly string[];
  boards: readonly Board[];
  /** The Wasm bounds strategies to build (default: all four, in `boundsStrategies` order). */
  bounds?: readonly BoundsStrategy[];
  /** Where the variants' recipes are built: <outDir>/<example>/<variant>/build/<board>/. */
  outDir: string;
  onStep?: (message: string) => void;
}

/** Builds every variant of every example on every board, and reads what each box takes. */
export async function measureRam(plan: RamTablePlan): Promise<ExampleRam[]> {
  const results: ExampleRam[] = [];
  for (const example of plan.examples) {
    const recipe = loadRecipe(join(bentoRoot, 'examples', example));
    for (const board of plan.boards) results.push(await measureExample(recipe, example, board, plan));
  }
  return results;
}

async function measureExample(recipe: Recipe, example: string, board: Board, plan: RamTablePlan): Promise<ExampleRam> {
  const step = plan.onStep ?? (() => {});
  const strategies = plan.bounds ?? boundsStrategies;
  const variantDir = (variant: string) => join(plan.outDir, example, variant);
  // Every box a Wasm box with one bounds strategy: one build per strategy.
  const wasmBuilds = new Map<BoundsStrategy, Built | Refused>();
  for (const bounds of strategies) {
    step(`${example} on ${board.name}: every box a Wasm box, ${bounds} bounds`);
    wasmBuilds.set(bounds, await buildVariant(recipe, board, variantDir(`wasm-${bounds}`), (b) => ({ ...b, runtime: 'wasm', bounds })));
  }
  const boxes: BoxRam[] = [];
  for (const box of recipe.boxes) {
    // The box alone turned native; the others stay as the recipe has them.
    step(`${example} on ${board.name}: box ${box.name} as a native box`);
    const dir = variantDir(`native-${box.name}`);
    const native = await buildVariant(recipe, board, dir, (b) => (b.name === box.name ? { ...b, runtime: 'native' } : b));
    const first = wasmBuilds.get(strategies[0]!)!;
    boxes.push({
      example,
      box: box.name,
      board: board.name,
      rule: regionRule(board),
      runtime: box.runtime,
      module: isRefused(first) ? first : moduleRam(first, box),
      wasm: await Promise.all(
        strategies.map(async (bounds) => {
          const built = wasmBuilds.get(bounds)!;
          return { bounds, planned: isRefused(built) ? built : await wasmPlanned(built, box.name) };
        }),
      ),
      native: isRefused(native) ? native : await nativePlanned(native, box),
      hostCode: await hostCode(recipe, box, board, join(dir, 'build', board.name)),
    });
  }
  const holes = strategies.flatMap((bounds) => {
    const built = wasmBuilds.get(bounds)!;
    return isRefused(built) ? [] : [{ bounds, bytes: planHoles(built, board) }];
  });
  return { example, board: board.name, rule: regionRule(board), boxes, holes };
}

export const isRefused = (x: object): x is Refused => 'refused' in x;

/** A variant that built: the project, and its image's symbols. */
interface Built {
  project: ProjectResult;
  symbols: ReadonlyMap<string, ImageSymbol>;
}

/**
 * Builds the recipe with its boxes changed, in a folder of its own (so each variant keeps its
 * objects and a rerun rebuilds nothing), or says why bento refused it.
 */
async function buildVariant(recipe: Recipe, board: Board, dir: string, change: (box: RecipeBox) => RecipeBox): Promise<Built | Refused> {
  const variant: Recipe = { ...recipe, dir, boxes: recipe.boxes.map(change) };
  let project: ProjectResult;
  try {
    project = await buildProject(variant, board);
  } catch (err) {
    if (!(err instanceof BentoError)) throw err;
    const symbols = err.diagnostics.flatMap((d) => (d.code === 'B2008' ? [/uses '([^']+)'/.exec(d.message)?.[1] ?? ''] : [])).filter(Boolean);
    return { refused: true, codes: [...new Set(err.diagnostics.map((d) => d.code))], reason: err.diagnostics[0]!.message, symbols: [...new Set(symbols)].sort() };
  }
  return { project, symbols: await imageSymbols(project.image.elf) };
}

/** The Wasm module of a box (the same for every bounds strategy): shadow stack, data, bss, heap. */
function moduleRam(built: Built, box: RecipeBox): WasmModuleRam {
  const dir = boxObjectDir(built.project.outDir, box.name);
  const file = join(dir, 'module.wasm');
  const wasm = decodeModule(readFileSync(file), file);
  const global = wasm.exports.find((e) => e.name === '__heap_base' && e.kind === 'global');
  const imported = wasm.imports.filter((i) => i.desc.kind === 'global').length;
  const init = global ? wasm.globals[global.index - imported]?.init[0] : undefined;
  if (init?.op !== 'i32.const' || typeof init.value !== 'number') throw new Error(`internal: ${file} exports no constant __heap_base`);
  const heapBase = init.value >>> 0;
  if (heapBase < box.stack) throw new Error(`internal: ${file}: __heap_base ${heapBase} lies inside the ${box.stack}-byte shadow stack`);
  const data = wasm.datas.filter((d) => d.mode === 'active').reduce((n, d) => n + d.bytes.length, 0);
  // What the build sized the memory by (src/compile/box-wasm.ts): the same __heap_base.
  const sizing = JSON.parse(readFileSync(join(dir, 'module.sizing.json'), 'utf8')) as { sizing?: { heapBase: number }; unsized?: string };
  if (sizing.sizing && sizing.sizing.heapBase !== heapBase) throw new Error(`internal: ${file}: __heap_base is ${heapBase}, but the build sized its memory by ${sizing.sizing.heapBase}`);
  return { stack: box.stack, data, bss: heapBase - box.stack - data, heap: box.heap, ...(sizing.unsized ? { unsized: sizing.unsized } : {}) };
}

/** Everything a Wasm module needs in its linear memory: shadow stack, data, bss, heap. */
export const moduleNeeds = (m: WasmModuleRam) => m.stack + m.data + m.bss + m.heap;

async function wasmPlanned(built: Built, name: string): Promise<WasmPlanned> {
  const placed = built.project.plan!.boxes.find((b) => b.name === name)!;
  if (!placed.memory) throw new Error(`internal: box ${name} was built as a Wasm box but has no linear memory`);
  return { ram: placed.ram.size, memory: placed.memory.size, contents: await regionContents(built, name), hostRecord: hostRecord(built, name) };
}

async function nativePlanned(built: Built, box: RecipeBox): Promise<NativePlanned> {
  const placed = built.project.plan!.boxes.find((b) => b.name === box.name)!;
  const objects = built.project.boxes.find((b) => b.box.name === box.name)!;
  return {
    ram: placed.ram.size,
    contents: await regionContents(built, box.name),
    hostRecord: hostRecord(built, box.name),
    stack: box.stack,
    data: objects.sizes.data,
    bss: objects.sizes.bss,
    heap: box.heap,
  };
}

/** The box's C sources compiled for the board as the host's are: their own data and bss. */
async function hostCode(recipe: Recipe, box: RecipeBox, board: Board, buildDir: string): Promise<BoxRam['hostCode']> {
  // The native variant's header, written before its box was compiled (so there even when bento
  // refused the box): it declares the box's imports and exports as plain C functions.
  const headerDir = join(buildDir, 'glue', 'include');
  const flags = ['-O2', '-g', '-Wall', '-I', headerDir, ...box.include.flatMap((d) => ['-I', d]), ...box.defines.map((d) => `-D${d}`), ...box.cflags];
  const objects: string[] = [];
  for (const source of box.sources) {
    const object = join(buildDir, 'host-code', box.name, relative(recipe.dir, source).replace(/\.\.\//g, '__/').replace(/\.c$/, '.o'));
    await compileC({ board, source, object, flags });
    objects.push(object);
  }
  const sizes = await measureObjects(objects);
  return { data: sizes.data, bss: sizes.bss, stack: box.stack };
}

interface ImageSymbol {
  value: number;
  size?: number;
}

async function imageSymbols(elf: string): Promise<Map<string, ImageSymbol>> {
  const { stdout } = await runTool('nm', ['-S', elf], { doing: `reading the symbols of ${basename(elf)}` });
  const table = new Map<string, ImageSymbol>();
  for (const line of stdout.split('\n')) {
    const m = /^([0-9a-f]{8})(?: ([0-9a-f]{8}))? \S (\S+)$/.exec(line);
    if (m) table.set(m[3]!, { value: parseInt(m[1]!, 16), size: m[2] === undefined ? undefined : parseInt(m[2], 16) });
  }
  return table;
}

/** The box's RAM region as linked: its stack, its objects' data and bss, and what that span takes. */
async function regionContents(built: Built, name: string): Promise<RegionContents> {
  const at = (what: string) => {
    const s = built.symbols.get(`__bento_box_${name}_${what}`);
    if (!s) throw new Error(`internal: ${built.project.image.elf} has no __bento_box_${name}_${what}`);
    return s.value;
  };
  // The linker script gathers the data and bss of every object in the box's folder: its code's
  // and its side of the glue.
  const box = built.project.boxes.find((b) => b.box.name === name)!;
  const sizes = await measureObjects([...box.objects, join(boxObjectDir(built.project.outDir, name), 'glue.o')]);
  return { stack: at('stack_top') - at('stack_bottom'), objects: sizes.data + sizes.bss, used: at('heap_start') - at('ram_start') };
}

function hostRecord(built: Built, name: string): number {
  return (built.symbols.get(`bento_box_${name}`)?.size ?? 0) + (built.symbols.get(`trusted_${name}`)?.size ?? 0);
}

/** Bytes between the host's RAM and the top of the board's RAM that no box region holds. */
function planHoles(built: Built, board: Board): number {
  const ram = region(board, 'ram');
  const plan = built.project.plan!;
  const regions = plan.boxes.reduce((n, b) => n + b.ram.size + (b.memory?.size ?? 0), 0);
  return ram.origin + ram.size - (plan.host.ram.origin + plan.host.ram.size) - regions;
}
