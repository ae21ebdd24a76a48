// Differential testing of bento against V8: fuzz modules from seeds, their exports run in V8,
// V8's outcomes written as spec scripts, the scripts run by bento's spec harness on the board,
// and every assertion that fails there reported as a mismatch with its seed, export and check.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Board } from '../../src/config/board.js';
import { runSpec } from '../../src/spec/run.js';
import type { ScriptResult } from '../../src/spec/run.js';
import { buildHelpers, generateModule } from './generate.js';
import { generateOwnModule } from './own-generator.js';
import { runReference } from './reference.js';
import type { ReferenceModule } from './reference.js';
import type { Check, WrittenScript } from './write-script.js';
import { writeScript } from './write-script.js';

/** Which generators make each seed's modules. */
export type Generators = 'binaryen' | 'own' | 'both';

export interface DiffOptions {
  board: Board;
  seeds: readonly number[];
  generators: Generators;
  /** Modules per script (one firmware image each). */
  perScript: number;
  /** Everything goes under here: scripts, images, the compile cache. */
  outDir: string;
  jobs: number;
  /** Seconds one run of an image may take. */
  timeoutSeconds: number;
  onProgress?: (message: string) => void;
  /** Each script's mismatches, as soon as it is judged. */
  onScript?: (script: ScriptSummary) => void;
}

export interface Mismatch {
  /** The module's id: `fuzz-12` (binaryen's fuzzer, seed 12) or `gen-12` (ours). */
  module: string;
  script: string;
  /** The command's line in the script's JSON (its index + 1). */
  line: number;
  check: Check | 'other';
  call?: string;
  detail: string;
  /** Whether an earlier check of the same module failed already (state may have diverged). */
  followsAnother: boolean;
}

export interface ScriptSummary {
  name: string;
  json: string;
  modules: number;
  calls: number;
  checks: number;
  passed: number;
  mismatches: Mismatch[];
}

export interface DiffReport {
  /** Modules generated, and those V8 rejected (the fuzzer's bugs, left out). */
  generated: number;
  invalid: { module: string; why: string }[];
  /** Modules instantiated (or expected to trap while instantiating) on both sides. */
  modules: number;
  uninstantiable: number;
  /** Export calls made, and assertions checked. */
  calls: number;
  checks: number;
  passed: number;
  /** Results V8 returned as NaN (not checked) and modules cut short by V8's stack limit. */
  unchecked: number;
  stopped: { module: string; why: string }[];
  mismatches: Mismatch[];
  scripts: ScriptSummary[];
  seconds: number;
}

function mismatchesOf(written: WrittenScript, result: ScriptResult): Mismatch[] {
  const out: Mismatch[] = [];
  const failed = new Set<string>();
  for (const r of result.results) {
    if (r.status !== 'failed') continue;
    const note = written.notes.get(r.command);
    const module = note?.module ?? '?';
    out.push({
      module,
      script: written.name,
      line: r.line,
      check: note?.check ?? 'other',
      call: note?.call,
      detail: r.detail ?? r.text,
      followsAnother: failed.has(module),
    });
    failed.add(module);
  }
  return out;
}

/** Generates, runs in V8, writes and runs on the board every seed's module; reports the mismatches. */
export async function runDifferential(options: DiffOptions): Promise<DiffReport> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => {});
  const helpers = buildHelpers(join(options.outDir, 'helpers'));
  const logger = readFileSync(helpers.logger);
  const hasher = readFileSync(helpers.hasher);
  const report: DiffReport = { generated: 0, invalid: [], modules: 0, uninstantiable: 0, calls: 0, checks: 0, passed: 0, unchecked: 0, stopped: [], mismatches: [], scripts: [], seconds: 0 };

  const written: WrittenScript[] = [];
  const moduleCounts: number[] = [];
  for (let at = 0; at < options.seeds.length; at += options.perScript) {
    const seeds = options.seeds.slice(at, at + options.perScript);
    const name = `diff-${seeds[0]}`;
    const dir = join(options.outDir, 'scripts', name);
    progress(`generating and running in V8: seeds ${seeds[0]}..${seeds[seeds.length - 1]}`);
    const generated = seeds.flatMap((seed) => [
      ...(options.generators !== 'own' ? [generateModule(seed, dir)] : []),
      ...(options.generators !== 'binaryen' ? [generateOwnModule(seed, dir)] : []),
    ]);
    report.generated += generated.length;
    const reference: ReferenceModule[] = runReference(generated, logger, hasher);
    for (const m of reference) {
      if (m.kind === 'invalid') report.invalid.push({ module: m.id, why: m.why });
      if (m.kind === 'uninstantiable') report.uninstantiable++;
      if (m.kind === 'instance') {
        report.unchecked += m.calls.filter((c) => c.outcome.kind === 'unchecked').length;
        if (m.stopped) report.stopped.push({ module: m.id, why: m.stopped });
      }
    }
    const files = new Map(generated.map((g) => [g.id, g.file]));
    written.push(writeScript(name, dir, reference, files, helpers));
    moduleCounts.push(reference.filter((m) => m.kind !== 'invalid').length);
  }

  await runSpec({
    board: options.board,
    files: written.map((w) => w.json),
    outDir: join(options.outDir, 'spec'),
    timeoutSeconds: options.timeoutSeconds,
    jobs: options.jobs,
    onProgress: progress,
    onScript: (result) => {
      const i = written.findIndex((w) => w.json === result.wast || w.name === result.name);
      const w = written[i]!;
      const summary: ScriptSummary = { name: w.name, json: w.json, modules: moduleCounts[i]!, calls: w.calls, checks: w.checks, passed: result.passed, mismatches: mismatchesOf(w, result) };
      report.scripts.push(summary);
      report.modules += summary.modules;
      report.calls += summary.calls;
      report.checks += summary.checks;
      report.passed += summary.passed;
      report.mismatches.push(...summary.mismatches);
      options.onScript?.(summary);
    },
  });
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

/** A mismatch on one line: `fuzz-12 (diff-10.json:57) result of func_3(i32 5): expected ..., got ...`. */
export function formatMismatch(m: Mismatch): string {
  const what = m.call ? `${m.check} of ${m.call}` : m.check;
  return `${m.module} (${m.script}.json:${m.line}) ${what}: ${m.detail}${m.followsAnother ? ' [after an earlier mismatch in this module]' : ''}`;
}
