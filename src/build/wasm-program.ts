import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compileWasm, readWasm } from '../compile/wasm.js';
import type { CompiledWasm } from '../compile/wasm.js';
import { region } from '../config/board.js';
import { mpuRegionAlignment, mpuRegionSize, planTopRegions } from '../plan/mpu-regions.js';
import { regionRule } from '../plan/plan.js';
import { memoryBytes } from '../wasm/types.js';
import type { WasmModule } from '../wasm/types.js';
import type { Board } from '../config/board.js';
import { banner, renderTemplate } from '../glue/render.js';
import { writeFileAtomic } from '../link/link.js';
import { resolveWasiImport } from '../link/wasi.js';
import type { BoundsStrategy } from '../lower/types.js';
import { runtimeDir } from '../paths.js';
import { buildImage } from './image.js';
import type { BuildOptions, ImageResult } from './image.js';

export interface WasmProgramSpec {
  wasmFile: string;
  board: Board;
  bounds: BoundsStrategy;
  outDir: string;
  /** Report the guest's instruction count on stderr (for runs under QEMU -icount). */
  icount: boolean;
  /** Main stack, shared by the runtime and the guest's native frames. */
  stack: number;
  /** RAM for the linear memory; by default what the board has left. */
  memoryLimit?: number;
  emitLlvm?: string;
}

function cFiles(dir: string): string[] {
  return readdirSync(join(runtimeDir, dir)).filter((f) => f.endsWith('.c')).sort().map((f) => join(runtimeDir, dir, f));
}

/** C files of the Wasm runtime (with its block copies), the WASI layer and the box boundary, which every Wasm image links. */
export function wasmRuntimeSources(): string[] {
  return [...cFiles('wasm'), ...cFiles('string'), ...cFiles('wasi'), ...cFiles('box')];
}

/**
 * RAM a run-wasm image keeps besides the linear memory: the malloc heap, the runtime's own data
 * and bss, and the host's stack when the guest runs in an MPU box. On boards with 1 MiB of RAM or
 * more they are 16, 64 and 16 KiB; smaller boards (128 KiB parts) keep a sixteenth of RAM for
 * each, so one 64 KiB page still fits.
 */
function reserves(board: Board): { heap: number; runtimeRam: number; hostStackInMpuMode: number } {
  const sixteenth = region(board, 'ram').size / 16;
  return { heap: Math.min(16 * 1024, sixteenth), runtimeRam: Math.min(64 * 1024, sixteenth), hostStackInMpuMode: Math.min(16 * 1024, sixteenth) };
}

/** run-wasm's main stack unless --stack says otherwise: 256 KiB, at most an eighth of RAM. */
export function defaultWasmStack(board: Board): number {
  return Math.min(256 * 1024, region(board, 'ram').size / 8);
}

const stackGuard = 1024;
/** Stack kept free below the guest's limit, so the trap path and host calls always have room. */
const stackReserve = 2048;

const cType: Record<string, string> = { i32: 'int32_t', i64: 'int64_t', f32: 'float', f64: 'double' };

/**
 * An MPU box for the guest: its linear memory and its RAM (stack, globals, tables, instance)
 * become two regions at the top of RAM; the host keeps the bottom.
 */
function planMpuBox(spec: WasmProgramSpec, wasm: WasmModule, prefix: string, memoryLimit: number) {
  const ram = region(spec.board, 'ram');
  const { heap, runtimeRam, hostStackInMpuMode } = reserves(spec.board);
  const memory = wasm.memories[0];
  const minBytes = memory ? memoryBytes(memory, memory.limits.min) : 0;
  const wanted = memory?.limits.max !== undefined ? Math.min(memoryBytes(memory, memory.limits.max), memoryLimit) : memoryLimit;
  // The largest power of two that fits, but at least the initial memory.
  const memorySize = mpuRegionSize(Math.max(minBytes, 2 ** Math.floor(Math.log2(Math.max(wanted, 32)))));
  const tableBytes = wasm.tables.reduce((n, t) => n + 4 * Math.min(t.limits.max ?? Infinity, t.limits.min + 256), 0);
  const rule = regionRule(spec.board);
  const boxRam = mpuRegionSize(spec.stack + tableBytes + 16 * wasm.globals.length + 4096, rule);
  const plan = planTopRegions(
    ram,
    [
      { name: 'box_memory', size: memorySize },
      // Below the memory, as in recipes (src/plan/plan.ts): a stack overflow must not run on
      // from the bottom of box_ram into the linear memory, which the MPU also grants.
      { name: 'box_ram', size: boxRam, below: 'box_memory' },
    ],
    hostStackInMpuMode + stackGuard + heap + runtimeRam,
    rule,
  );
  const placed = (n: string) => plan.regions.find((r) => r.name === n)!;
  const imports = wasm.imports.flatMap((imp) => {
    if (imp.desc.kind !== 'func') return [];
    const type = wasm.types[imp.desc.typeIndex]!;
    return [{ name: imp.name, params: type.params.map((p) => cType[p]!), result: type.results.length ? cType[type.results[0]!]! : 'void', returns: type.results.length > 0 }];
  });
  return {
    memorySize,
    hostRam: plan.host,
    regions: [
      { section: 'box_memory', origin: placed('box_memory').origin, size: placed('box_memory').size, inputs: ['.box_memory'] },
      { section: 'box_ram', origin: placed('box_ram').origin, size: placed('box_ram').size, inputs: ['.box_ram.stack', `.bss.${prefix}_*`, `.data.${prefix}_*`] },
    ],
    view: {
      memorySize,
      memoryAlign: mpuRegionAlignment(memorySize, rule),
      boxRamSize: placed('box_ram').size,
      stackSize: spec.stack,
      imports,
    },
  };
}

/** Builds a firmware image that runs one WASI program: compile the module, generate main, link. */
export async function buildWasmProgram(spec: WasmProgramSpec, options: BuildOptions = {}): Promise<ImageResult & { compiled: CompiledWasm }> {
  const name = basename(spec.wasmFile).replace(/\.wasm$/, '');
  const prefix = 'wasm_' + name.replace(/[^A-Za-z0-9]/g, '_');
  const ram = region(spec.board, 'ram').size;
  const { heap, runtimeRam, hostStackInMpuMode } = reserves(spec.board);
  const memoryLimit = spec.memoryLimit ?? ram - spec.stack - stackGuard - heap - runtimeRam;
  const wasm = readWasm(spec.wasmFile, memoryLimit);
  const mpu = spec.bounds === 'mpu' ? planMpuBox(spec, wasm, prefix, memoryLimit) : undefined;
  const wasi = resolveWasiImport(wasm);
  const compiled = await compileWasm({
    wasm,
    board: spec.board,
    object: join(spec.outDir, 'obj', `${name}.o`),
    bounds: spec.bounds,
    prefix,
    memoryLimit: mpu ? mpu.memorySize : memoryLimit,
    // In a box, host functions are reached through gates (see templates/wasm-main-mpu.c.hbs).
    resolveImport: mpu ? (imp) => ({ kind: 'host-func', symbol: `${prefix}_gate_${(wasi(imp) as { symbol: string }).symbol.replace(/^bento_wasi_/, '')}` }) : wasi,
    emitLlvm: spec.emitLlvm,
  });
  options.onStep?.(`compiled ${spec.wasmFile} (${Object.entries(compiled.timings).map(([k, v]) => `${k} ${v.toFixed(2)} s`).join(', ')})`);

  const start = compiled.lowered.exports.find((e) => e.name === '_start' && e.kind === 'func');
  const main = join(spec.outDir, 'main.c');
  const view = { banner: banner([spec.wasmFile]), prefix, entry: start?.symbol ?? '', stackReserve };
  writeFileAtomic(main, mpu ? renderTemplate('wasm-main-mpu.c.hbs', { ...view, ...mpu.view }) : renderTemplate('wasm-main.c.hbs', view));
  const defines = ['-DBENTO_STDERR_SEMIHOST', ...(spec.icount ? ['-DBENTO_ICOUNT_REPORT'] : [])];
  const sources = [main, ...wasmRuntimeSources(), ...cFiles('wasm-program')].map((path) => ({
    path,
    object: join(spec.outDir, 'obj', path === main ? 'main.o' : path.split('/runtime-c/')[1]!.replace(/\.c$/, '.o')),
    flags: ['-O2', '-g', '-Wall', ...defines],
  }));
  const result = await buildImage(
    {
      board: spec.board,
      name,
      outDir: spec.outDir,
      sources,
      objects: [compiled.object],
      stack: mpu ? hostStackInMpuMode : spec.stack,
      stackGuard,
      heap,
      inputs: [spec.board.file, spec.wasmFile],
      mpuRegions: mpu?.regions,
      hostRam: mpu?.hostRam,
    },
    options,
  );
  return { ...result, compiled };
}
