import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildDir, buildProject } from '../build/build.js';
import type { Board } from '../config/board.js';
import type { Recipe } from '../config/recipe.js';
import { BentoError } from '../diagnostics/error.js';
import type { Diagnostic } from '../diagnostics/error.js';
import { formatDiagnostic } from '../diagnostics/print.js';
import { runFirmware } from '../run/qemu.js';
import { JobPool, Mutex } from '../spec/jobs.js';
import { judgeRun } from './judge.js';
import type { TestPair } from './plan.js';

export type PairStatus = 'passed' | 'failed' | 'skipped';

/** How one case went on one board. */
export interface PairResult {
  case: string;
  caseFile: string;
  board: string;
  status: PairStatus;
  /** Why it failed or was skipped, one line. */
  reason?: string;
  /** A mismatched output's short diff, or a failed build's diagnostics. */
  details: string[];
  expectedExitCode: number;
  exitCode?: number;
  /** The UART output of the run. */
  output?: string;
  /** The run's own time (the build is shared between cases and counted apart). */
  seconds: number;
  buildSeconds?: number;
  /** The UART log of the run. */
  log?: string;
}

export interface TestRunOptions {
  pairs: readonly TestPair[];
  /** Concurrent builds and emulator runs. */
  jobs: number;
  /** UART logs go to <logDir>/<case>/<board>.uart.log. */
  logDir: string;
  /** Replaces every case's own timeout (--timeout). */
  timeoutSeconds?: number;
  /** Told of each pair as it ends, in the order they end. */
  onResult?: (result: PairResult) => void;
  /** Told when a build starts, so a long cold build does not look like a hang. */
  onProgress?: (message: string) => void;
}

type Built = { kind: 'built'; elf: string; seconds: number } | { kind: 'did-not-fit'; needs: number; has: number } | { kind: 'failed'; diagnostics: readonly Diagnostic[] };

/** A build the board's RAM cannot hold: the planner's B2001 or the module's B3005 carry the numbers. */
function didNotFit(err: BentoError): Built | undefined {
  const d = err.diagnostics.find((x) => (x.code === 'B2001' || x.code === 'B3005') && x.fit);
  return d ? { kind: 'did-not-fit', needs: d.fit!.needs, has: d.fit!.has } : undefined;
}

const kib = (bytes: number) => `${Math.ceil(bytes / 1024)} KiB`;

/**
 * Builds and runs every pair, `jobs` at a time. Each recipe is built once per board (the normal,
 * incremental build) and its image shared by the cases that use it; builds into one folder wait
 * for each other. Emulator runs go before builds waiting for a slot, so results come early.
 * Results come back in the order of `pairs`.
 */
export async function runTests(options: TestRunOptions): Promise<PairResult[]> {
  const pool = new JobPool(options.jobs);
  const folders = new Map<string, Mutex>();
  const builds = new Map<string, Promise<Built>>();

  const build = (recipe: Recipe, board: Board): Promise<Built> => {
    const key = `${recipe.file}\0${board.file}`;
    let built = builds.get(key);
    if (!built) {
      const dir = buildDir(recipe, board);
      if (!folders.has(dir)) folders.set(dir, new Mutex());
      built = folders.get(dir)!.run(() =>
        pool.run(() => {
          options.onProgress?.(`building ${recipe.name} for ${board.name}`);
          return buildOnce(recipe, board);
        }, 0),
      );
      builds.set(key, built);
    }
    return built;
  };

  const runPair = async (pair: TestPair): Promise<PairResult> => {
    const { testCase, board } = pair;
    const base = { case: testCase.name, caseFile: testCase.file, board: board.name, expectedExitCode: testCase.exitCode, details: [] as string[], seconds: 0 };
    if (pair.recipe instanceof BentoError) return { ...base, status: 'failed', reason: 'the recipe does not load', details: pair.recipe.diagnostics.map((d) => formatDiagnostic(d)) };
    const built = await build(pair.recipe, board);
    if (built.kind === 'failed') return { ...base, status: 'failed', reason: 'build failed', details: built.diagnostics.map((d) => formatDiagnostic(d)) };
    if (built.kind === 'did-not-fit') return { ...base, status: 'skipped', reason: `does not fit: needs ${kib(built.needs)} of RAM, ${board.name} has ${kib(built.has)}` };
    if (!board.qemu) return { ...base, status: 'skipped', reason: `built; QEMU cannot emulate ${board.name}`, buildSeconds: built.seconds };
    const timeoutSeconds = options.timeoutSeconds ?? testCase.timeoutSeconds;
    const logDir = join(options.logDir, testCase.name);
    mkdirSync(logDir, { recursive: true });
    const log = join(logDir, `${board.name}.uart.log`);
    return pool.run(async () => {
      try {
        const run = await runFirmware({ elf: built.elf, board, timeoutSeconds, icount: testCase.icount, logFile: log });
        const verdict = judgeRun({ exitCode: testCase.exitCode, expected: testCase.expected, timeoutSeconds }, run, board.name);
        return {
          ...base,
          status: verdict.passed ? 'passed' : 'failed',
          ...(verdict.reason !== undefined ? { reason: verdict.reason } : {}),
          details: verdict.diff,
          exitCode: run.exitCode,
          output: run.output,
          seconds: run.seconds,
          buildSeconds: built.seconds,
          log,
        } satisfies PairResult;
      } catch (err) {
        if (!(err instanceof BentoError)) throw err;
        return { ...base, status: 'failed', reason: 'the emulator did not run', details: err.diagnostics.map((d) => formatDiagnostic(d)), buildSeconds: built.seconds, log };
      }
    }, 1);
  };

  return Promise.all(
    options.pairs.map(async (pair) => {
      const result = await runPair(pair);
      options.onResult?.(result);
      return result;
    }),
  );
}

async function buildOnce(recipe: Recipe, board: Board): Promise<Built> {
  const started = performance.now();
  try {
    const result = await buildProject(recipe, board);
    return { kind: 'built', elf: result.image.elf, seconds: (performance.now() - started) / 1000 };
  } catch (err) {
    if (!(err instanceof BentoError)) throw err;
    return didNotFit(err) ?? { kind: 'failed', diagnostics: err.diagnostics };
  }
}
