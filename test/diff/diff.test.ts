// Differential testing against V8, the bounded set: a fixed list of seeds, each giving a binaryen
// fuzz module and one of ours, run in Node's V8 and in bento on the emulated M4; every result,
// trap, logged value and memory hash must agree, except the open mismatches listed in `known`.
// The repros of mismatches fixed so far must pass. `npm run diff` is the longer run.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/config/board.js';
import { runSpec } from '../../src/spec/run.js';
import { projectRoot } from '../support/cli.js';
import { formatMismatch, runDifferential } from './differential.js';
import type { DiffReport, Mismatch } from './differential.js';
import { missingTools } from './generate.js';

const seeds = Array.from({ length: 24 }, (_, i) => 1 + i);

interface Known {
  cause: string;
  repro: string;
  matches: (m: Mismatch) => boolean;
}

/** Mismatches left open, each with its cause and reproducer; remove an entry once it is fixed. */
const known: readonly Known[] = [];

const missing = missingTools();
if (missing !== undefined) console.warn(`test/diff: skipping differential testing against V8: ${missing}`);

describe.skipIf(missing !== undefined)('differential testing against V8 on m4', () => {
  const board = loadBoard('m4');
  let report: DiffReport;

  beforeAll(async () => {
    report = await runDifferential({
      board,
      seeds,
      generators: 'both',
      perScript: 12,
      outDir: join(projectRoot, 'build', 'diff-test'),
      jobs: 2,
      timeoutSeconds: 300,
    });
  }, 600_000);

  it('runs every module and call of the set', () => {
    expect(report.generated).toBe(seeds.length * 2);
    expect(report.invalid).toEqual([]);
    expect(report.modules).toBe(seeds.length * 2);
    expect(report.calls).toBeGreaterThan(500);
    expect(report.passed).toBeGreaterThan(report.checks * 0.95);
  });

  it('finds no mismatch but the known open ones', () => {
    // A mismatch after another in the same module may only follow from the first.
    const firsts = report.mismatches.filter((m) => !m.followsAnother);
    const unexplained = firsts.filter((m) => !known.some((k) => k.matches(m))).map(formatMismatch);
    expect(unexplained).toEqual([]);
  });

  it('passes the repros of the mismatches it found and were fixed', async () => {
    const summary = await runSpec({
      board,
      files: ['snan-literal.wast', 'snan-global.wast'].map((f) => join(projectRoot, 'test', 'diff', 'repros', f)),
      outDir: join(projectRoot, 'build', 'diff-test', 'repros'),
      timeoutSeconds: 120,
      jobs: 2,
    });
    const failures = summary.scripts.flatMap((s) => s.results.filter((r) => r.status === 'failed').map((r) => `${s.name}:${r.line}: ${r.detail}`));
    expect(failures).toEqual([]);
    expect(summary.passed).toBeGreaterThan(0);
  }, 300_000);
});
