import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Board } from '../config/board.js';
import { fail } from '../diagnostics/error.js';
import { formatLocation } from '../diagnostics/print.js';
import { report } from '../diagnostics/reporter.js';
import { addFunctionAttributes } from '../lower/attributes.js';
import { lowerModule } from '../lower/module.js';
import type { LoweredModule } from '../lower/module.js';
import type { BoundsStrategy, LowerOptions } from '../lower/types.js';
import { runTool } from '../toolchain/exec.js';
import { compileSplit, defaultSplit } from './split.js';
import type { SplitPolicy } from './split.js';
import { decodeModule } from '../wasm/decode.js';
import { defaultPageSizeLog2, memoryBytes } from '../wasm/types.js';
import type { WasmModule } from '../wasm/types.js';
import { validateModule } from '../wasm/validate/validate.js';

export interface CompileWasmInput {
  /** A module readWasm accepted. */
  wasm: WasmModule;
  board: Board;
  object: string;
  bounds: BoundsStrategy;
  prefix: string;
  /** Bytes of RAM the linear memory may take at most. */
  memoryLimit: number;
  /** Entries a table may grow by past its minimum, when it declares no smaller maximum (default 256). */
  tableReserve?: number;
  resolveImport: LowerOptions['resolveImport'];
  /** Runs in an MPU box: the glue defines the memory (aligned for its region) and the box's stack has an MPU edge. */
  inBox?: boolean;
  /** Check the stack pointer on function entry even in a box (a box entered straight, src/plan/entry.ts). */
  stackCheck?: boolean;
  externalGlobals?: readonly number[];
  /** Record each function's frame size in a .stack_sizes section (llc -stack-size-section), for measureNativeStack. */
  stackSizes?: boolean;
  /** Also write the optimised LLVM IR here. */
  emitLlvm?: string;
  /** Float types the FPU may move (default: what the board's FPU has); none needs no unaligned-access handler. */
  fpuAccess?: { f32: boolean; f64: boolean };
  /** LLVM IR text appended to the lowered module (bento compile's C adapters of multi-value exports). */
  extraIr?: string;
  /** When to split the module into parts compiled in parallel and cached (default: defaultSplit). */
  split?: SplitPolicy;
}

export interface CompiledWasm {
  object: string;
  lowered: Omit<LoweredModule, 'module'>;
  wasm: WasmModule;
  /** Seconds spent in each step. */
  timings: { lower: number; opt: number; llc: number };
  /** For a module compiled in parts: how many, and how many came from the cache. */
  split?: { partitions: number; cached: number };
}

/** Reads and checks a module: decode, validate, and refuse a memory the board cannot hold. */
export function readWasm(file: string, memoryLimit: number): WasmModule {
  const wasm = loadWasm(file);
  checkMemoryFits(wasm, memoryLimit);
  return wasm;
}

/** Reads, decodes and validates a module. */
export function loadWasm(file: string): WasmModule {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    fail('B1007', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code}`);
  }
  const wasm = decodeModule(bytes, file);
  validateModule(wasm);
  return wasm;
}

/** Refuses a module whose initial memory is more than `memoryLimit` bytes. */
export function checkMemoryFits(wasm: WasmModule, memoryLimit: number): void {
  const imported = wasm.imports.find((i) => i.desc.kind === 'memory')?.desc;
  const memory = wasm.memories[0] ?? (imported?.kind === 'memory' ? imported.memory : undefined);
  const bytes = memory ? memoryBytes(memory, memory.limits.min) : 0;
  if (bytes > memoryLimit) {
    const pages = memory!.pageSizeLog2 === defaultPageSizeLog2 ? `${memory!.limits.min} pages (${memory!.limits.min * 64} KiB)` : `${bytes} bytes`;
    fail('B3005', `the module's initial memory is ${pages}, but only ${Math.floor(memoryLimit / 1024)} KiB of RAM is available for it`, {
      location: { file: wasm.file },
      hint: 'build the module with a smaller initial memory (e.g. -Wl,--initial-memory=...), or give it more RAM',
      fit: { needs: bytes, has: memoryLimit },
    });
  }
}

/** Float types the board's FPU loads and stores (f64 needs a double-precision FPU). */
export function fpuAccess(board: Board): { f32: boolean; f64: boolean } {
  const hasFpu = board.cpu.fpu !== 'none' && board.cpu.floatAbi !== 'soft';
  return { f32: hasFpu, f64: hasFpu && board.llvm.features.includes('+fp64') };
}

/**
 * Wasm -> LLVM IR (llvm-bindings, printed with the attributes the binding cannot set) ->
 * opt-14 -O2 -> llc-14 for the board. A large module (`split`) is compiled in parts, in
 * parallel, each part's object kept in `<object>.parts/` (split.ts). Nothing is written at
 * `object` unless every step succeeds.
 */
export async function compileWasm(input: CompileWasmInput): Promise<CompiledWasm> {
  const wasm = input.wasm;
  // mpu: the memory is an MPU region whose storage the glue defines (aligned to its size), and
  // an MPU guard below the box's stack replaces the entry check.
  const mpu = input.bounds === 'mpu' || input.inBox === true;
  warnIgnoredSections(wasm, input.prefix);
  const t1 = performance.now();
  const lowered = lowerModule(wasm, {
    prefix: input.prefix,
    bounds: input.bounds,
    triple: input.board.llvm.triple,
    memoryReserve: input.memoryLimit,
    tableReserve: input.tableReserve ?? 256,
    resolveImport: input.resolveImport,
    memoryStorage: mpu ? 'external' : 'define',
    stackCheck: input.stackCheck ?? !mpu,
    externalGlobals: input.externalGlobals,
    fpuAccess: input.fpuAccess ?? fpuAccess(input.board),
  });
  mkdirSync(dirname(input.object), { recursive: true });
  const raw = `${input.object}.raw.ll`;
  const opt = `${input.object}.opt.bc`;
  const tmp = `${input.object}.tmp`;
  rmSync(input.object, { force: true });
  const ir = addFunctionAttributes(lowered.module.print() + (input.extraIr ?? ''));
  writeFileSync(raw, ir);
  const t2 = performance.now();
  const features = input.board.llvm.features.length > 0 ? [`-mattr=${input.board.llvm.features.join(',')}`] : [];
  const llcArgs = [
    '-O2',
    `-mtriple=${input.board.llvm.triple}`,
    `-mcpu=${input.board.llvm.cpu}`,
    ...features,
    `-float-abi=${input.board.cpu.floatAbi === 'hard' ? 'hard' : 'soft'}`,
    '-relocation-model=static',
    '-function-sections',
    '-data-sections',
    ...(input.stackSizes ? ['-stack-size-section'] : []),
    '-filetype=obj',
  ];
  const policy = input.split ?? defaultSplit;
  try {
    let timings: { opt: number; llc: number };
    let split: CompiledWasm['split'];
    if (ir.length >= policy.threshold) {
      const parts = await compileSplit({ raw, out: tmp, cacheDir: `${input.object}.parts`, partitions: policy.partitions, optArgs: ['-O2'], llcArgs, emitLlvm: input.emitLlvm, file: wasm.file });
      timings = { opt: parts.opt, llc: parts.llc };
      split = { partitions: parts.partitions, cached: parts.cached };
    } else {
      // A module below the threshold keeps no parts: a cache left by a larger version of it goes.
      rmSync(`${input.object}.parts`, { recursive: true, force: true });
      await runTool('opt', ['-O2', raw, '-o', opt], { doing: `optimising ${wasm.file}`, failCode: 'B5002' });
      const t3 = performance.now();
      if (input.emitLlvm) await runTool('llvmDis', [opt, '-o', input.emitLlvm], { doing: 'writing LLVM IR' });
      await runTool('llc', [...llcArgs, opt, '-o', tmp], { doing: `generating code for ${wasm.file}`, failCode: 'B5002' });
      timings = { opt: (t3 - t2) / 1000, llc: (performance.now() - t3) / 1000 };
    }
    const t4 = performance.now();
    // On a single-precision FPU, f64 sqrt is a libcall; newlib's `sqrt` wrapper writes errno, host
    // data a box may not touch, and Wasm has no errno: call the pure IEEE routine instead.
    await runTool('objcopy', ['--redefine-sym', 'sqrt=__ieee754_sqrt', tmp], { doing: `renaming libcalls in ${wasm.file}` });
    renameSync(tmp, input.object);
    const { module: _module, ...rest } = lowered;
    return {
      object: input.object,
      lowered: rest,
      wasm,
      timings: { lower: (t2 - t1) / 1000, opt: timings.opt, llc: timings.llc + (performance.now() - t4) / 1000 },
      ...(split ? { split } : {}),
    };
  } finally {
    for (const f of [raw, opt, tmp]) rmSync(f, { force: true });
  }
}

/** A custom section the decoder ignored, as a warning: the module compiles, without what it held. */
function warnIgnoredSections(wasm: WasmModule, prefix: string): void {
  for (const ignored of wasm.ignoredSections ?? []) {
    const what = ignored.name === 'name' ? `; its functions keep index symbols (${prefix}_f<N>)` : '';
    report('warning', `${formatLocation({ file: wasm.file, offset: ignored.offset })}: warning: custom section '${ignored.name}' ignored, it is not well formed (${ignored.reason})${what}`);
  }
}
