import type { Board } from '../config/board.js';
import { BentoError } from '../diagnostics/error.js';
import { join } from 'node:path';
import { bentoRoot } from '../paths.js';
import { runFirmware } from '../run/qemu.js';
import { buildVariant, variantName } from './variants.js';
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

export interface BenchPlan {
  boards: readonly Board[];
  kernels: readonly string[];
  variants: readonly Variant[];
  outDir: string;
  onResult?: (m: Measurement) => void;
}

/** Builds and runs every kernel as every variant on every board, one image each. */
export async function runBench(plan: BenchPlan): Promise<Measurement[]> {
  const results: Measurement[] = [];
  for (const board of plan.boards) {
    for (const kernel of plan.kernels) {
      for (const variant of plan.variants) {
        const built = await buildVariant(kernel, variant, board, plan.outDir);
        const run = await runFirmware({ elf: built.elf, board, timeoutSeconds: 120, icount: true });
        const m = /bench ticks=(\d+) checksum=([0-9a-f]{8})/.exec(run.output);
        if (run.exitCode !== 0 || !m) {
          throw new BentoError({ code: 'B6003', message: `${kernel} as ${variantName(variant)} on ${board.name} did not finish (exit ${run.exitCode}):\n${run.output.trim()}` });
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
  return results;
}

/** Instructions per call across a box boundary (bench/calls), into a Wasm and a native box. */
export async function measureCalls(board: Board): Promise<{ board: string; wasm: number; native: number; wasmBuffer: number }> {
  const { buildProject } = await import('../build/build.js');
  const { loadRecipe } = await import('../config/recipe.js');
  const result = await buildProject(loadRecipe(join(bentoRoot, 'bench', 'calls')), board);
  const run = await runFirmware({ elf: result.image.elf, board, timeoutSeconds: 60, icount: true });
  const m = /calls wasm=(\d+) native=(\d+) wasm-64-byte-buffer=(\d+)/.exec(run.output);
  if (run.exitCode !== 0 || !m) throw new BentoError({ code: 'B6003', message: `the call benchmark did not finish on ${board.name}:\n${run.output}` });
  return { board: board.name, wasm: Number(m[1]), native: Number(m[2]), wasmBuffer: Number(m[3]) };
}

/** Every variant of a kernel must compute the same checksum on a board; lists any that do not. */
export function checksumMismatches(results: readonly Measurement[]): string[] {
  const problems: string[] = [];
  const groups = new Map<string, Measurement[]>();
  for (const r of results) groups.set(`${r.board} ${r.kernel}`, [...(groups.get(`${r.board} ${r.kernel}`) ?? []), r]);
  for (const [key, group] of groups) {
    const sums = new Set(group.map((g) => g.checksum));
    if (sums.size > 1) problems.push(`${key}: ${group.map((g) => `${g.variant} ${g.checksum}`).join(', ')}`);
  }
  return problems;
}
