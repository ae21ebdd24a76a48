// The spec conformance run: for each script, plan -> build -> run on the emulator -> judge.
// Scripts are built one after another while the emulator runs the previous one, within a fixed
// number of job slots. A step that crashes or hangs the firmware is taken out and the image run
// again, so one bad command costs only itself.
import { existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Board } from '../config/board.js';
import { fail } from '../diagnostics/error.js';
import { bentoRoot } from '../paths.js';
import { describeExit } from '../run/exit-codes.js';
import { runFirmware } from '../run/qemu.js';
import { buildScript, specLayout } from './build.js';
import type { BuildContext, BuiltScript } from './build.js';
import { compilerFingerprint } from './compile.js';
import { JobPool, Mutex } from './jobs.js';
import { judgeScript } from './judge.js';
import type { CommandResult } from './judge.js';
import { planScript } from './plan.js';
import type { Step } from './plan.js';
import { parseReport } from './protocol.js';
import type { Outcome } from './protocol.js';
import { loadScript } from './script.js';

/** The official suite beside the project (see its README). */
export const defaultSuiteDir = join(bentoRoot, '..', 'shared', 'wasm-testsuite');

export interface SpecOptions {
  board: Board;
  /** .wast files to run, in order. */
  files: readonly string[];
  /** Root of everything the harness writes: build/spec. */
  outDir: string;
  /** Seconds one run of an image may take. */
  timeoutSeconds: number;
  /** Job slots (cores). */
  jobs: number;
  /** Progress messages ("building i32.wast"). */
  onProgress?: (message: string) => void;
  /** Each script's results, in order, as soon as it is judged. */
  onScript?: (result: ScriptResult) => void;
}

export interface ScriptResult {
  name: string;
  wast: string;
  results: readonly CommandResult[];
  passed: number;
  failed: number;
  skipped: number;
  /** Seconds spent building and running it (building overlaps the previous script's run). */
  buildSeconds: number;
  runSeconds: number;
  /** Emulator runs (more than one when a step crashed the firmware). */
  runs: number;
}

export interface SpecSummary {
  scripts: readonly ScriptResult[];
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
}

/** A script argument: a path to a .wast file (or to wast2json's .json output), or a name in the suite ("i32", "i32.wast"). */
export function resolveScripts(args: readonly string[], suiteDir: string): string[] {
  if (args.length === 0) {
    if (!existsSync(suiteDir)) fail('B1007', `no spec test suite at ${suiteDir}`, { hint: `get the official Wasm 2.0 suite with \`git clone https://github.com/WebAssembly/testsuite && git -C testsuite checkout 3a04b2c\` and pass --suite testsuite, or pass .wast files` });
    return readdirSync(suiteDir)
      .filter((f) => f.endsWith('.wast') && !f.startsWith('simd_'))
      .sort()
      .map((f) => join(suiteDir, f));
  }
  return args.map((arg) => {
    if (existsSync(arg) && (arg.endsWith('.wast') || arg.endsWith('.json'))) return resolve(arg);
    const inSuite = join(suiteDir, arg.endsWith('.wast') ? arg : `${arg}.wast`);
    if (existsSync(inSuite)) return inSuite;
    fail('B1007', `no spec script '${arg}' (looked for ${arg} and ${inSuite})`);
  });
}

/** Most reruns of one image after crashes; what is left after that is reported as not run. */
const maxReruns = 12;
/** The emulator's priority in the job pool: above every build job. */
const runPriority = 10;

interface Built {
  built?: BuiltScript;
  error?: unknown;
  seconds: number;
}

function firstLines(lines: readonly string[], n: number): string {
  return lines.slice(0, n).map((l) => l.trim()).join(' | ');
}

/** Runs an image until every step reported, taking out each step that crashes or hangs it. */
async function runWithRecovery(built: BuiltScript, options: SpecOptions, pool: JobPool, progress: (m: string) => void): Promise<{ outcomes: Map<number, Outcome>; notRun: Map<number, string>; runs: number; seconds: number }> {
  const outcomes = new Map<number, Outcome>();
  const notRun = new Map<number, string>();
  const disabled = new Set<number>();
  let elf = built.elf;
  let seconds = 0;
  for (let runs = 1; ; runs++) {
    const run = await pool.run(
      () => runFirmware({ elf, board: options.board, timeoutSeconds: options.timeoutSeconds, logFile: elf.replace(/\.elf$/, '.uart.log') }),
      runPriority,
    );
    seconds += run.seconds;
    const report = parseReport(run.output);
    for (const [command, outcome] of report.outcomes) outcomes.set(command, outcome);
    const pending = built.runnable.filter((s) => !disabled.has(s.command) && !report.outcomes.has(s.command));
    if (report.ended && run.exitCode === 0 && pending.length === 0) return { outcomes, notRun, runs, seconds };
    const why = run.timedOut
      ? `the firmware hung (no end after ${options.timeoutSeconds} s)`
      : `the firmware stopped with exit code ${run.exitCode}${describeExit(run.exitCode) ? ` (${describeExit(run.exitCode)})` : ''}${report.other.length ? `: ${firstLines(report.other, 4)}` : ''}`;
    const culprit = pending[0];
    if (!culprit) {
      // Every step reported, and yet the firmware did not end cleanly.
      for (const s of built.runnable) if (!outcomes.has(s.command)) notRun.set(s.command, why);
      return { outcomes, notRun, runs, seconds };
    }
    notRun.set(culprit.command, `${why}, during this command`);
    disabled.add(culprit.command);
    // A module that did not instantiate takes its commands with it.
    if (culprit.kind === 'instantiate') {
      for (const s of built.runnable) {
        if (s !== culprit && s.kind !== 'link-check' && s.instance === culprit.instance && !disabled.has(s.command)) {
          disabled.add(s.command);
          notRun.set(s.command, `not run: instantiating its module (line ${built.plan.instances[culprit.instance]!.line}) crashed the firmware`);
        }
      }
    }
    if (runs > maxReruns) {
      for (const s of built.runnable) if (!outcomes.has(s.command) && !notRun.has(s.command)) notRun.set(s.command, `not run: the firmware crashed ${runs} times`);
      return { outcomes, notRun, runs, seconds };
    }
    progress(`${built.plan.script.name}.wast: rerunning without the command at line ${lineOf(built, culprit)} (${why})`);
    elf = await built.relink(disabled);
  }
}

function lineOf(built: BuiltScript, step: Step): number {
  return built.plan.commands.find((c) => c.index === step.command)?.line ?? 0;
}

function count(results: readonly CommandResult[]) {
  return {
    passed: results.filter((r) => r.status === 'passed').length,
    failed: results.filter((r) => r.status === 'failed').length,
    skipped: results.filter((r) => r.status === 'skipped').length,
  };
}

/** Runs the scripts and returns every result; nothing is printed but through the callbacks. */
export async function runSpec(options: SpecOptions): Promise<SpecSummary> {
  const started = performance.now();
  const pool = new JobPool(options.jobs);
  const progress = options.onProgress ?? (() => {});
  const ctx: BuildContext = {
    board: options.board,
    outDir: join(options.outDir, options.board.name),
    cacheDir: join(options.outDir, options.board.name, 'cache'),
    compiler: compilerFingerprint(),
    pool,
    linkLock: new Mutex(),
  };
  const total = options.files.length;
  const tag = (i: number) => `[${i + 1}/${total}]`;

  // Builds go one after another (each uses the free job slots); runs follow in order.
  const builds: Promise<Built>[] = [];
  options.files.forEach((wast, i) => {
    const previous = builds[i - 1] ?? Promise.resolve(undefined);
    builds.push(
      previous.then(async () => {
        const t = performance.now();
        progress(`${tag(i)} building ${basename(wast)}`);
        try {
          const script = await loadScript(wast, join(options.outDir, 'wast'));
          const layout = specLayout(options.board);
          const plan = planScript(script, { memoryBudget: layout.memoryBudget, spectestMemory: layout.spectestPages > 0 });
          const built = await buildScript(plan, ctx);
          return { built, seconds: (performance.now() - t) / 1000 };
        } catch (error) {
          return { error, seconds: (performance.now() - t) / 1000 };
        }
      }),
    );
  });

  const scripts: ScriptResult[] = [];
  for (const [i, wast] of options.files.entries()) {
    const done = await builds[i]!;
    const name = basename(wast).replace(/\.(wast|json)$/, '');
    if (!done.built) {
      // A script that cannot be built at all (wast2json failed, the image does not link) is
      // one failure, not a crash of the whole run.
      const detail = `could not build the image: ${(done.error as Error)?.message ?? done.error}`;
      const result: ScriptResult = { name, wast, results: [{ command: -1, line: 0, text: `${name}.wast`, status: 'failed', detail }], passed: 0, failed: 1, skipped: 0, buildSeconds: done.seconds, runSeconds: 0, runs: 0 };
      scripts.push(result);
      options.onScript?.(result);
      continue;
    }
    progress(`${tag(i)} running ${name}.wast`);
    const built = done.built;
    let ran: Awaited<ReturnType<typeof runWithRecovery>>;
    try {
      ran = await runWithRecovery(built, options, pool, progress);
    } catch (error) {
      const detail = `could not run the image: ${(error as Error)?.message ?? error}`;
      ran = { outcomes: new Map(), notRun: new Map(built.runnable.map((s) => [s.command, detail])), runs: 0, seconds: 0 };
    }
    const results = judgeScript(built.plan, { dropped: built.dropped, outcomes: ran.outcomes, notRun: ran.notRun });
    const result: ScriptResult = { name, wast, results, ...count(results), buildSeconds: done.seconds, runSeconds: ran.seconds, runs: ran.runs };
    scripts.push(result);
    options.onScript?.(result);
  }
  const totals = count(scripts.flatMap((s) => s.results));
  return { scripts, ...totals, seconds: (performance.now() - started) / 1000 };
}
