import type { Board } from '../config/board.js';
import { BentoError } from '../diagnostics/error.js';
import { join } from 'node:path';
import { bentoRoot } from '../paths.js';
import { runFirmware } from '../run/qemu.js';
import { asDidNotFit, buildVariant, variantName } from './variants.js';
import type { Variant } from './variants.js';

export interface Measurement {
  board: string;
  kernel: string;
  variant: string;
  /** Instructions in kernel_run: counter ticks under QEMU -icount shift=0, 1 ns each. */
  instructions: number;
  checksum: string;
  /** Bytes of code and constants the kernel compiled to. */
  code: number;
  /** Bytes of RAM the kernel needs (see BuiltVariant). */
  ram: number;
  compileSeconds?: number;
}

/** A variant that did not fit the board's RAM: not run; the bytes it needs and the board has. */
export interface NotFitted {
  board: string;
  kernel: string;
  variant: string;
  needs: number;
  has: number;
}

/** What a bench gives: the runs, and the variants that did not fit their board. */
export interface BenchResults {
  /** What was planned, in order: the report keeps it. */
  kernels: readonly string[];
  variants: readonly string[];
  runs: Measurement[];
  notFitted: NotFitted[];
}

export interface BenchPlan {
  boards: readonly Board[];
  kernels: readonly string[];
  variants: readonly Variant[];
  outDir: string;
  onResult?: (m: Measurement) => void;
  onNotFitted?: (n: NotFitted) => void;
}

/**
 * Builds and runs every kernel as every variant on every board, one image each. A variant whose
 * memory the board cannot hold is listed as not fitted, and the others run.
 */
export async function runBench(plan: BenchPlan): Promise<BenchResults> {
  const results: Measurement[] = [];
  const notFitted: NotFitted[] = [];
  for (const board of plan.boards) {
    for (const kernel of plan.kernels) {
      for (const variant of plan.variants) {
        const built = await buildVariant(kernel, variant, board, plan.outDir);
        if (built.kind === 'did-not-fit') {
          const n = { board: board.name, kernel, variant: variantName(variant), needs: built.needs, has: built.has };
          notFitted.push(n);
          plan.onNotFitted?.(n);
          continue;
        }
        const run = await runFirmware({ elf: built.elf, board, timeoutSeconds: 120, icount: true });
        const m = /bench ticks=(\d+) checksum=([0-9a-f]{8})/.exec(run.output);
        if (run.exitCode !== 0 || !m) {
          throw new BentoError({ code: 'B6003', message: `${kernel} as ${variantName(variant)} on ${board.name} did not finish (exit ${run.exitCode}):\n${run.output.trim()}` });
        }
        // A kernel that allocates, in a Wasm box: its memory must have grown (bench/harness/main.c).
        const grew = /bench memory pages=(\d+)->(\d+)/.exec(run.output);
        if (grew && Number(grew[2]) <= Number(grew[1])) {
          throw new BentoError({ code: 'B6003', message: `${kernel} as ${variantName(variant)} on ${board.name} allocates, but its memory stayed at ${grew[1]} pages` });
        }
        const result = {
          board: board.name,
          kernel,
          variant: variantName(variant),
          // under -icount one instruction is 1 ns: 40 per tick at 25 MHz, 1 at 1 GHz (stm32f405)
          instructions: Math.round((Number(m[1]) * 1e9) / board.counter.hz),
          checksum: m[2]!,
          code: built.kernelCode,
          ram: built.kernelRam,
          compileSeconds: built.compileSeconds,
        };
        results.push(result);
        plan.onResult?.(result);
      }
    }
  }
  return { kernels: plan.kernels, variants: plan.variants.map(variantName), runs: results, notFitted };
}

/** What a board's RAM could not hold, in words: "did not fit: needs 80 KiB of RAM, lm3s6965 has 64 KiB". */
export function didNotFitText(n: Omit<NotFitted, 'kernel' | 'variant'>): string {
  const kib = (bytes: number) => `${Math.ceil(bytes / 1024)} KiB`;
  return `did not fit: needs ${kib(n.needs)} of RAM, ${n.board} has ${kib(n.has)}`;
}

/** The call benchmark on a board: instructions per call, or the RAM its image needs and the board has. */
export type CallCosts =
  | {
      board: string;
      wasm: number;
      native: number;
      wasmBuffer: number;
      wasmEightWords: number;
      instance: number;
      callback: number;
      /** From inside a Wasm box: into a host function, into one with a 16-byte buffer, into another Wasm box through the host. */
      boxToHost: number;
      boxToHostBuffer: number;
      boxToBox: number;
    }
  | { board: string; needs: number; has: number };

/** Instructions per call across a box boundary (bench/calls), into a Wasm and a native box. */
export async function measureCalls(board: Board): Promise<CallCosts> {
  const { buildProject } = await import('../build/build.js');
  const { loadRecipe } = await import('../config/recipe.js');
  let result;
  try {
    result = await buildProject(loadRecipe(join(bentoRoot, 'bench', 'calls')), board);
  } catch (err) {
    const refused = asDidNotFit(err);
    if (refused) return { board: board.name, needs: refused.needs, has: refused.has };
    throw err;
  }
  const run = await runFirmware({ elf: result.image.elf, board, timeoutSeconds: 60, icount: true });
  const m = /calls wasm=(\d+) native=(\d+) wasm-64-byte-buffer=(\d+) wasm-8-words=(\d+) instance=(\d+) callback=(\d+) box-to-host=(\d+) box-to-host-16-byte-buffer=(\d+) box-to-box=(\d+)/.exec(run.output);
  if (run.exitCode !== 0 || !m) throw new BentoError({ code: 'B6003', message: `the call benchmark did not finish on ${board.name}:\n${run.output}` });
  const [wasm, native, wasmBuffer, wasmEightWords, instance, callback, boxToHost, boxToHostBuffer, boxToBox] = m.slice(1).map(Number) as [number, number, number, number, number, number, number, number, number];
  return { board: board.name, wasm, native, wasmBuffer, wasmEightWords, instance, callback, boxToHost, boxToHostBuffer, boxToBox };
}

/**
 * Every variant of a kernel must compute the same checksum, on every board: the kernels are
 * exact (bench/kernels/README.md), so soft float on a Cortex-M3 must agree with the FPUs bit for
 * bit. Lists the kernels where they do not.
 */
export function checksumMismatches(results: readonly Measurement[]): string[] {
  const problems: string[] = [];
  const groups = new Map<string, Measurement[]>();
  for (const r of results) groups.set(r.kernel, [...(groups.get(r.kernel) ?? []), r]);
  for (const [kernel, group] of groups) {
    const sums = new Set(group.map((g) => g.checksum));
    if (sums.size > 1) problems.push(`${kernel}: ${group.map((g) => `${g.board} ${g.variant} ${g.checksum}`).join(', ')}`);
  }
  return problems;
}
