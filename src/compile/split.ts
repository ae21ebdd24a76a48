import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { runLimited } from '../build/run-limited.js';
import { runTool } from '../toolchain/exec.js';

/**
 * When a module's IR is split: its printed IR of at least `threshold` bytes goes through
 * llvm-split into `partitions` parts, each optimised and compiled on its own.
 */
export interface SplitPolicy {
  threshold: number;
  partitions: number;
}

/**
 * 24 MB of printed IR: about 300 KB of Wasm code. Below it a module keeps the single path
 * (opt -O2 over the whole module: inlining across all its functions), which takes under 20 s of
 * CPU there; above it whole-module opt grows faster than the module (113 s of CPU for 63 MB).
 * Every Wasm module of bento's examples, benchmarks and the spec suite is far below it.
 */
export const defaultSplit: SplitPolicy = { threshold: 24 << 20, partitions: 16 };

export interface SplitCompileInput {
  /** The module's IR, as opt reads it. */
  raw: string;
  /** The joined object to write (written in place; the caller renames it). */
  out: string;
  /** Where each part's object is kept, under a hash of its IR and the flags. */
  cacheDir: string;
  partitions: number;
  optArgs: readonly string[];
  llcArgs: readonly string[];
  /** Also write the optimised IR of all parts, joined, here. */
  emitLlvm?: string;
  /** For messages: the module's file. */
  file: string;
}

export interface SplitCompileResult {
  /** Seconds splitting and optimising, and generating code and joining. */
  opt: number;
  llc: number;
  partitions: number;
  /** Parts whose object came from the cache. */
  cached: number;
}

/**
 * llvm-split (no --preserve-locals) gives each function and global to the part chosen by a
 * hash of its name, and makes internal symbols hidden globals so that the parts can reference
 * each other: the parts of a module whose one function changed are the same bytes, except the
 * one holding it, so their objects come from `cacheDir`. The parts run opt and llc two at a
 * time (or as many as there are cores), are joined with ld -r, and the split's hidden symbols
 * are made local again (objcopy --localize-hidden), as they were in the module.
 */
export async function compileSplit(input: SplitCompileInput): Promise<SplitCompileResult> {
  const work = `${input.out}.split`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  mkdirSync(input.cacheDir, { recursive: true });
  const jobs = Math.max(1, availableParallelism());
  try {
    const t0 = performance.now();
    await runTool('llvmSplit', [`-j=${input.partitions}`, '-o', join(work, 'part'), input.raw], { doing: `splitting ${input.file}`, failCode: 'B5002' });
    const flags = JSON.stringify([input.optArgs, input.llcArgs]);
    const parts = Array.from({ length: input.partitions }, (_, i) => {
      const bitcode = join(work, `part${i}`);
      const key = createHash('sha256').update(flags).update(readFileSync(bitcode)).digest('hex').slice(0, 32);
      const object = join(input.cacheDir, `${key}.o`);
      const optimised = join(input.cacheDir, `${key}.opt.bc`);
      return { bitcode, key, object, optimised, cached: existsSync(object) };
    });
    const needsOpt = parts.filter((p) => !p.cached || (input.emitLlvm !== undefined && !existsSync(p.optimised)));
    await runLimited(needsOpt, jobs, async (p) => {
      await runTool('opt', [...input.optArgs, p.bitcode, '-o', `${p.optimised}.tmp`], { doing: `optimising ${input.file} (part ${p.key})`, failCode: 'B5002' });
      renameSync(`${p.optimised}.tmp`, p.optimised);
    });
    const t1 = performance.now();
    await runLimited(
      parts.filter((p) => !p.cached),
      jobs,
      async (p) => {
        await runTool('llc', [...input.llcArgs, p.optimised, '-o', `${p.object}.tmp`], { doing: `generating code for ${input.file} (part ${p.key})`, failCode: 'B5002' });
        renameSync(`${p.object}.tmp`, p.object);
      },
    );
    await runTool('ld', ['-r', '-o', input.out, ...parts.map((p) => p.object)], { doing: `joining the parts of ${input.file}`, failCode: 'B5002' });
    await runTool('objcopy', ['--localize-hidden', input.out], { doing: `joining the parts of ${input.file}` });
    if (input.emitLlvm) await runTool('llvmLink', ['-S', ...parts.map((p) => p.optimised), '-o', input.emitLlvm], { doing: 'writing LLVM IR' });
    const t2 = performance.now();
    pruneCache(input.cacheDir, new Set(parts.flatMap((p) => [`${p.key}.o`, ...(input.emitLlvm ? [`${p.key}.opt.bc`] : [])])));
    return { opt: (t1 - t0) / 1000, llc: (t2 - t1) / 1000, partitions: parts.length, cached: parts.filter((p) => p.cached).length };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Keeps only the files this compile used: a module's cache holds one version of each part. */
function pruneCache(dir: string, keep: ReadonlySet<string>): void {
  for (const name of readdirSync(dir)) if (!keep.has(name)) rmSync(join(dir, name), { force: true });
}
