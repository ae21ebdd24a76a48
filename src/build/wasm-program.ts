import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compileWasm, readWasm } from '../compile/wasm.js';
import type { CompiledWasm } from '../compile/wasm.js';
import { region } from '../config/board.js';
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

/** C files of the Wasm runtime and the WASI layer, which every Wasm image links. */
export function wasmRuntimeSources(): string[] {
  return [...cFiles('wasm'), ...cFiles('wasi')];
}

const heap = 16 * 1024;
const stackGuard = 1024;
/** RAM kept for the runtime's own data and bss. */
const runtimeRam = 64 * 1024;
/** Stack kept free below the guest's limit, so the trap path and host calls always have room. */
const stackReserve = 2048;

/** Builds a firmware image that runs one WASI program: compile the module, generate main, link. */
export async function buildWasmProgram(spec: WasmProgramSpec, options: BuildOptions = {}): Promise<ImageResult & { compiled: CompiledWasm }> {
  const name = basename(spec.wasmFile).replace(/\.wasm$/, '');
  const prefix = 'wasm_' + name.replace(/[^A-Za-z0-9]/g, '_');
  const ram = region(spec.board, 'ram').size;
  const memoryLimit = spec.memoryLimit ?? ram - spec.stack - stackGuard - heap - runtimeRam;
  const wasm = readWasm(spec.wasmFile, memoryLimit);
  const compiled = await compileWasm({
    wasm,
    board: spec.board,
    object: join(spec.outDir, 'obj', `${name}.o`),
    bounds: spec.bounds,
    prefix,
    memoryLimit,
    resolveImport: resolveWasiImport(wasm),
    emitLlvm: spec.emitLlvm,
  });
  options.onStep?.(`compiled ${spec.wasmFile} (${Object.entries(compiled.timings).map(([k, v]) => `${k} ${v.toFixed(2)} s`).join(', ')})`);

  const start = compiled.lowered.exports.find((e) => e.name === '_start' && e.kind === 'func');
  const main = join(spec.outDir, 'main.c');
  writeFileAtomic(
    main,
    renderTemplate('wasm-main.c.hbs', {
      banner: banner([spec.wasmFile]),
      prefix,
      entry: start?.symbol ?? '',
      stackReserve: stackReserve,
    }),
  );
  const defines = ['-DBENTO_STDERR_SEMIHOST', ...(spec.icount ? ['-DBENTO_ICOUNT_REPORT'] : [])];
  const sources = [main, ...wasmRuntimeSources(), ...cFiles('wasm-program')].map((path) => ({
    path,
    object: join(spec.outDir, 'obj', path === main ? 'main.o' : path.split('/runtime-c/')[1]!.replace(/\.c$/, '.o')),
    flags: ['-O2', '-g', '-Wall', ...defines],
  }));
  const result = await buildImage(
    { board: spec.board, name, outDir: spec.outDir, sources, objects: [compiled.object], stack: spec.stack, stackGuard, heap, inputs: [spec.board.file, spec.wasmFile] },
    options,
  );
  return { ...result, compiled };
}
