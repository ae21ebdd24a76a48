import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { fail } from '../diagnostics/error.js';
import { runtimeDir } from '../paths.js';
import { runTool } from '../toolchain/exec.js';
import { runLimited } from '../build/run-limited.js';
import { compileCached, isFresh, stampOf } from './native-c.js';

/** What a Wasm box is made from, as its recipe says. */
export interface BoxWasmSource {
  box: string;
  sources: readonly string[];
  include: readonly string[];
  defines: readonly string[];
  cflags: readonly string[];
  /** Shadow stack for C code (wasm-ld's stack, placed first so an overflow traps). */
  stack: number;
  /** The folder holding the box's generated header. */
  headerDir: string;
  /** Where intermediate files and the module go. */
  outDir: string;
}

/** Turns a box's sources into one WebAssembly module: C (clang-14, a WASI reactor), .wat (wat2wasm), or a .wasm as it is. */
export async function boxWasmModule(src: BoxWasmSource, onStep: (message: string) => void = () => {}): Promise<string> {
  const kinds = new Set(src.sources.map((s) => extname(s)));
  if (src.sources.length === 1 && kinds.has('.wasm')) return src.sources[0]!;
  if (src.sources.length === 1 && kinds.has('.wat')) return watToWasm(src, onStep);
  if ([...kinds].every((k) => k === '.c')) return cToWasm(src, onStep);
  fail('B1004', `box ${src.box}: sources must be C files, or one .wat, or one .wasm (got ${src.sources.map((s) => basename(s)).join(', ')})`);
}

async function watToWasm(src: BoxWasmSource, onStep: (message: string) => void): Promise<string> {
  const out = join(src.outDir, 'module.wasm');
  const args = [src.sources[0]!, '-o', out];
  const stamp = stampOf(args);
  if (isFresh(out, `${out}.cmd`, stamp, src.sources)) return out;
  mkdirSync(src.outDir, { recursive: true });
  await runTool('wat2wasm', args, { doing: `box ${src.box}: reading ${basename(src.sources[0]!)}`, failCode: 'B5002' });
  writeFileSync(`${out}.cmd`, stamp);
  onStep(`assembled ${basename(src.sources[0]!)}`);
  return out;
}

const wasmTarget = ['--target=wasm32-wasi', '--sysroot=/usr'];

async function cToWasm(src: BoxWasmSource, onStep: (message: string) => void): Promise<string> {
  const flags = [
    ...wasmTarget,
    '-O2',
    '-Wall',
    '-I',
    src.headerDir,
    '-I',
    join(runtimeDir, 'include'),
    ...src.include.flatMap((d) => ['-I', d]),
    ...src.defines.map((d) => `-D${d}`),
    ...src.cflags,
  ];
  const objects = await runLimited([...src.sources], 2, async (source) => {
    const object = join(src.outDir, 'wasm', `${basename(source, '.c')}.o`);
    const args = [...flags, '-MMD', '-MF', `${object}.d`, '-c', source, '-o', object];
    const done = await compileCached('clang', args, object, `box ${src.box}: compiling ${basename(source)} for wasm32`);
    if (!done.cached) onStep(`compiled ${basename(source)} for wasm32`);
    return object;
  });
  const out = join(src.outDir, 'module.wasm');
  const args = [...wasmTarget, '-mexec-model=reactor', '-Wl,--stack-first', `-Wl,-z,stack-size=${src.stack}`, '-o', out, ...objects];
  const stamp = stampOf(args);
  if (isFresh(out, `${out}.cmd`, stamp, objects)) return out;
  mkdirSync(dirname(out), { recursive: true });
  await runTool('clang', args, { doing: `box ${src.box}: linking its WebAssembly module`, failCode: 'B5002' });
  writeFileSync(`${out}.cmd`, stamp);
  onStep(`linked box ${src.box}'s module`);
  return out;
}
