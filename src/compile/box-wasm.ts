import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { BentoError, fail } from '../diagnostics/error.js';
import type { Diagnostic } from '../diagnostics/error.js';
import { readWasmLdOutput } from '../toolchain/linker-output.js';
import type { LinkerReport } from '../toolchain/linker-output.js';
import { runtimeDir } from '../paths.js';
import { failedToolOutput, runTool } from '../toolchain/exec.js';
import { runLimited } from '../build/run-limited.js';
import { compileCached, isFresh, stampOf } from './native-c.js';
import type { CompileCommand } from './native-c.js';
import { takePageSize, withPageSize } from './wat-page-size.js';
import { decodeModule } from '../wasm/decode.js';
import type { WasmModule } from '../wasm/types.js';

/** What a Wasm box is made from, as its recipe says. */
export interface BoxWasmSource {
  box: string;
  sources: readonly string[];
  include: readonly string[];
  defines: readonly string[];
  cflags: readonly string[];
  /** Shadow stack for C code (wasm-ld's stack, placed first so an overflow traps). */
  stack: number;
  /** C: bytes of malloc heap after the module's data. */
  heap: number;
  /** The folder holding the box's generated header. */
  headerDir: string;
  /** Where intermediate files and the module go. */
  outDir: string;
  /** Warnings in the box's C are errors (-Werror, and wasm-ld's --fatal-warnings). */
  werror: boolean;
  /**
   * Turns wasm-ld's missing symbols into the build's own errors (the build stage knows the
   * recipe and its hints), given each object with its source.
   */
  explainUndefined?: (report: LinkerReport, sources: ReadonlyMap<string, string>) => Diagnostic[];
}

/**
 * A box's module. For C, `sizing` says where its data ends (`__heap_base`) when its memory can be
 * sized to that plus its heap: no instruction of it reads or grows the memory's size, so nothing
 * observes the page size; `unsized` says why not otherwise.
 */
export interface BoxModule {
  file: string;
  /** How each C file was compiled (none for .wat and .wasm), for compile_commands.json. */
  compiled: readonly CompileCommand[];
  sizing?: { heapBase: number; heap: number };
  unsized?: string;
}

/** Turns a box's sources into one WebAssembly module: C (clang-14, a WASI reactor), .wat (wat2wasm), or a .wasm as it is. */
export async function boxWasmModule(src: BoxWasmSource, onStep: (message: string) => void = () => {}): Promise<BoxModule> {
  const kinds = new Set(src.sources.map((s) => extname(s)));
  if (src.sources.length === 1 && kinds.has('.wasm')) return { file: src.sources[0]!, compiled: [] };
  if (src.sources.length === 1 && kinds.has('.wat')) return { file: await watToWasm(src, onStep), compiled: [] };
  if ([...kinds].every((k) => k === '.c')) return cToWasm(src, onStep);
  fail('B1004', `box ${src.box}: sources must be C files, or one .wat, or one .wasm (got ${src.sources.map((s) => basename(s)).join(', ')})`);
}

async function watToWasm(src: BoxWasmSource, onStep: (message: string) => void): Promise<string> {
  const out = join(src.outDir, 'module.wasm');
  const stamp = stampOf(['--debug-names', src.sources[0]!, '-o', out]);
  if (isFresh(out, `${out}.cmd`, stamp, src.sources)) return out;
  mkdirSync(src.outDir, { recursive: true });
  await assembleWat(src.sources[0]!, out, `box ${src.box}: reading ${basename(src.sources[0]!)}`);
  writeFileSync(`${out}.cmd`, stamp);
  onStep(`assembled ${basename(src.sources[0]!)}`);
  return out;
}

/** wat2wasm (keeping `$names`), with `(pagesize N)` (which Debian's wat2wasm predates) taken out and put into the binary. */
export async function assembleWat(source: string, out: string, doing: string): Promise<void> {
  const { text, pageSizeLog2 } = takePageSize(readFileSync(source, 'utf8'), source);
  const input = pageSizeLog2 === undefined ? source : `${out}.wat`;
  if (pageSizeLog2 !== undefined) writeFileSync(input, text);
  // --debug-names: the module keeps its `$names` in a name section, and its functions' symbols show them.
  await runTool('wat2wasm', ['--debug-names', input, '-o', out], { doing, failCode: 'B5002' });
  if (pageSizeLog2 !== undefined) writeFileSync(out, withPageSize(readFileSync(out), pageSizeLog2, source));
}

const wasmTarget = ['--target=wasm32-wasi', '--sysroot=/usr'];

async function cToWasm(src: BoxWasmSource, onStep: (message: string) => void): Promise<BoxModule> {
  const includes = ['-I', join(runtimeDir, 'include')];
  const flags = [
    ...wasmTarget,
    // Copies and clears of unknown size become memory.copy and memory.fill: a bounds check and
    // the runtime's block copies, not a call into wasi-libc's byte and word loops.
    '-mbulk-memory',
    '-O2',
    '-fno-unroll-loops',
    '-Wall',
    '-I',
    src.headerDir,
    ...includes,
    ...src.include.flatMap((d) => ['-I', d]),
    ...src.defines.map((d) => `-D${d}`),
    ...src.cflags,
    ...(src.werror ? ['-Werror'] : []),
  ];
  const compiled = await runLimited([...src.sources], 2, async (source) => {
    const object = join(src.outDir, 'wasm', `${basename(source, '.c')}.o`);
    const args = [...flags, '-MMD', '-MF', `${object}.d`, '-c', source, '-o', object];
    const done = await compileCached('clang', args, object, `box ${src.box}: compiling ${basename(source)} for wasm32`);
    if (!done.cached) onStep(`compiled ${basename(source)} for wasm32`);
    return done.command;
  });
  const objects = compiled.map((c) => c.output);
  // bento's allocator is bento's code: its own flags, never the box's warnings or -Werror.
  const allocator = join(src.outDir, 'wasm', 'bento-malloc.o');
  const allocatorArgs = [...wasmTarget, '-O2', '-Wall', ...includes, `-DBENTO_BOX_HEAP=${src.heap}u`, '-MMD', '-MF', `${allocator}.d`, '-c', join(runtimeDir, 'wasm-box', 'malloc.c'), '-o', allocator];
  const allocated = await compileCached('clang', allocatorArgs, allocator, `box ${src.box}: compiling its allocator for wasm32`);
  if (!allocated.cached) onStep('compiled bento-malloc for wasm32');
  // memcpy, memmove and memset as memory.copy and memory.fill, ahead of wasi-libc's.
  const copies = join(src.outDir, 'wasm', 'bento-string.o');
  const copiesArgs = [...wasmTarget, '-mbulk-memory', '-O2', '-Wall', '-MMD', '-MF', `${copies}.d`, '-c', join(runtimeDir, 'wasm-box', 'string.c'), '-o', copies];
  const copied = await compileCached('clang', copiesArgs, copies, `box ${src.box}: compiling its memcpy for wasm32`);
  if (!copied.cached) onStep('compiled bento-string for wasm32');
  const commands = [...compiled, allocated.command, copied.command];
  const out = join(src.outDir, 'module.wasm');
  const sizingFile = join(src.outDir, 'module.sizing.json');
  const fatal = src.werror ? ['-Wl,--fatal-warnings'] : [];
  const link = (withAllocator: boolean) => [...wasmTarget, '-mexec-model=reactor', '-Wl,--stack-first', `-Wl,-z,stack-size=${src.stack}`, '-Wl,--export=__heap_base', ...fatal, '-o', out, ...objects, copies, ...(withAllocator ? [allocator] : [])];
  const stamp = stampOf(link(true));
  if (isFresh(out, `${out}.cmd`, stamp, [...objects, allocator, copies]) && existsSync(sizingFile)) return { file: out, compiled: commands, ...JSON.parse(readFileSync(sizingFile, 'utf8')) };
  mkdirSync(dirname(out), { recursive: true });
  const doing = `box ${src.box}: linking its WebAssembly module`;
  const sources = new Map(compiled.map((c) => [c.output, c.file]));
  const linkModule = (withAllocator: boolean) =>
    // The relink without bento's allocator would repeat the first link's warnings: those are shown once.
    runTool('clang', link(withAllocator), { doing, failCode: 'B5002', warnings: withAllocator }).catch((err: unknown) => {
      throw undefinedSymbols(err, src, sources) ?? err;
    });
  await linkModule(true);
  let result: Omit<BoxModule, 'file' | 'compiled'>;
  const linked = decodeModule(readFileSync(out), out);
  const observer = pageSizeObserver(linked);
  if (observer) {
    // The module manages its memory itself (dlmalloc growing it, or its own code): link it with
    // wasi-libc's allocator as it expects, and leave its memory in 64 KiB pages.
    await linkModule(false);
    result = { unsized: observer };
  } else {
    result = { sizing: { heapBase: heapBase(linked), heap: src.heap } };
  }
  writeFileSync(sizingFile, JSON.stringify(result));
  writeFileSync(`${out}.cmd`, stamp);
  onStep(`linked box ${src.box}'s module`);
  return { file: out, compiled: commands, ...result };
}

/** A failed link that wasm-ld explains with missing symbols, as the build stage words it. */
function undefinedSymbols(err: unknown, src: BoxWasmSource, sources: ReadonlyMap<string, string>): BentoError | undefined {
  const output = failedToolOutput(err);
  if (output === undefined || !src.explainUndefined) return undefined;
  const report = readWasmLdOutput(output);
  if (report.undefined.length === 0) return undefined;
  return new BentoError(src.explainUndefined(report, sources), { cause: err });
}

/** The first instruction that reads or grows the memory's size, as "memory.grow in function N". */
function pageSizeObserver(wasm: WasmModule): string | undefined {
  const imported = wasm.imports.filter((i) => i.desc.kind === 'func').length;
  for (const [i, code] of wasm.codes.entries()) {
    const hit = code.body.find((instr) => instr.op === 'memory.size' || instr.op === 'memory.grow');
    if (hit) return `${hit.op} in ${wasm.funcNames.get(imported + i) ?? `function ${imported + i}`}`;
  }
  return undefined;
}

/** The value of the exported `__heap_base` global (wasm-ld's end of data). */
function heapBase(wasm: WasmModule): number {
  const exported = wasm.exports.find((e) => e.name === '__heap_base' && e.kind === 'global');
  const imported = wasm.imports.filter((i) => i.desc.kind === 'global').length;
  const init = exported ? wasm.globals[exported.index - imported]?.init : undefined;
  const value = init?.[0]?.op === 'i32.const' ? init[0].value : undefined;
  if (typeof value !== 'number') throw new Error(`internal: ${wasm.file} exports no constant __heap_base`);
  return value >>> 0;
}
