// `bento compile`: a module compiled into an object for someone else's firmware, with the C
// header that declares it and, on request, the runtime-c sources it needs.
import { copyFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { region } from '../config/board.js';
import type { Board } from '../config/board.js';
import { fail } from '../diagnostics/error.js';
import { report } from '../diagnostics/reporter.js';
import { banner, renderTemplate } from '../glue/render.js';
import type { BoundsStrategy } from '../lower/types.js';
import { runtimeDir } from '../paths.js';
import { memoryBytes } from '../wasm/types.js';
import type { WasmModule } from '../wasm/types.js';
import { cHeaderView } from './c-header.js';
import { resolveCImport } from './c-imports.js';
import { multiValueAdapters } from './multi-value.js';
import { classifyNeeds, mayFaultUnaligned, undefinedSymbols } from './object-needs.js';
import type { ObjectNeeds } from './object-needs.js';
import { checkMemoryFits, compileWasm, fpuAccess } from './wasm.js';
import type { CompiledWasm } from './wasm.js';

export interface StandaloneInput {
  wasm: WasmModule;
  board: Board;
  object: string;
  header: string;
  bounds: BoundsStrategy;
  prefix: string;
  /** Bytes for the linear memory (--memory); default memoryReserveDefault. */
  memory?: number;
  /** Move floats through integer registers: no access can fault on alignment. */
  noUnalignedFloat: boolean;
  /** Copy the runtime-c sources the object needs (and bento/wasm.h) here. */
  runtimeDir?: string;
  emitLlvm?: string;
}

export interface StandaloneOutput {
  compiled: CompiledWasm;
  needs: ObjectNeeds;
  /** Files written under runtimeDir. */
  runtimeFiles: string[];
}

/**
 * The linear memory's reservation: `requested` when given (refused below the initial memory,
 * or past the board's RAM), else the module's declared maximum, else its initial size; never
 * more than the board's RAM.
 */
export function memoryReserve(wasm: WasmModule, requested: number | undefined, ram: number): number {
  const memory = wasm.memories[0];
  if (!memory) {
    if (requested !== undefined) report('warning', `${wasm.file}: warning: --memory ignored: the module has no memory`);
    return 0;
  }
  const initial = memoryBytes(memory, memory.limits.min);
  const page = 2 ** memory.pageSizeLog2;
  if (requested === undefined) {
    const declared = memory.limits.max === undefined ? initial : memoryBytes(memory, memory.limits.max);
    return Math.max(initial, Math.min(declared, Math.floor(ram / page) * page));
  }
  if (requested < initial) {
    fail('B3005', `--memory gives the module ${requested} bytes, but its initial memory is ${initial} bytes (${memory.limits.min} pages of ${page})`, {
      location: { file: wasm.file },
      hint: `give at least --memory ${initial % 1024 === 0 ? `${initial / 1024}KiB` : initial}`,
      fit: { needs: initial, has: requested },
    });
  }
  if (requested > ram) {
    fail('B3005', `--memory ${requested} bytes is more than the board's RAM (${ram} bytes)`, { location: { file: wasm.file }, fit: { needs: requested, has: ram } });
  }
  if (requested % page !== 0) {
    const below = Math.floor(requested / page) * page;
    fail('B9001', `--memory must be a whole number of the module's ${page}-byte pages, not ${requested} bytes`, { hint: `e.g. --memory ${below / 1024}KiB or ${(below + page) / 1024}KiB` });
  }
  return requested;
}

export async function compileStandalone(input: StandaloneInput): Promise<StandaloneOutput> {
  const { wasm, board } = input;
  const ram = region(board, 'ram').size;
  checkMemoryFits(wasm, ram);
  const reserve = memoryReserve(wasm, input.memory, ram);
  const fpu = input.noUnalignedFloat ? { f32: false, f64: false } : fpuAccess(board);
  const compiled = await compileWasm({
    wasm,
    board,
    object: input.object,
    bounds: input.bounds,
    prefix: input.prefix,
    memoryLimit: reserve,
    resolveImport: resolveCImport(wasm, input.prefix),
    emitLlvm: input.emitLlvm,
    fpuAccess: fpu,
    extraIr: multiValueAdapters(wasm, input.prefix),
  });
  try {
    const needs = classifyNeeds(await undefinedSymbols(input.object), input.prefix);
    const view = cHeaderView({
      banner: banner([wasm.file]),
      wasm,
      wasmFile: basename(wasm.file),
      prefix: input.prefix,
      bounds: input.bounds,
      lowered: compiled.lowered,
      needs,
      unalignedHandler: mayFaultUnaligned(wasm, fpu),
    });
    writeAtomically(input.header, renderTemplate('wasm-object.h.hbs', view));
    const runtimeFiles = input.runtimeDir ? copyRuntime(input.runtimeDir, needs.runtimeSources) : [];
    return { compiled, needs, runtimeFiles };
  } catch (err) {
    // The object and its header go together: no object without the header that declares it.
    rmSync(input.object, { force: true });
    throw err;
  }
}

function writeAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/** The headers of bento/ and the sources, flat in `dir`: `cc -I dir dir/*.c` builds them. */
function copyRuntime(dir: string, sources: readonly string[]): string[] {
  const headers = ['wasm.h', ...(sources.includes('string/fast_mem.c') ? ['fast_mem.h'] : [])];
  const files: [string, string][] = [
    ...headers.map((h): [string, string] => [join(runtimeDir, 'include/bento', h), join(dir, 'bento', h)]),
    ...sources.map((s): [string, string] => [join(runtimeDir, s), join(dir, basename(s))]),
  ];
  for (const [from, to] of files) {
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, `${to}.tmp`);
    renameSync(`${to}.tmp`, to);
  }
  return files.map(([, to]) => to);
}
