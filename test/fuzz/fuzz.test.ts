// The bounded fuzz run of CI: a fixed seed, a few thousand mutated and generated modules through
// decode and validate, a sample cross-checked with wabt, a few dozen of the valid ones compiled
// through lowering, opt-14 and llc-14. Any finding fails the test with its seed, case and a
// command that reproduces it. `npm run fuzz` runs the same loop for longer (test/fuzz/cli.ts).
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/config/board.js';
import { projectRoot } from '../support/cli.js';
import { makeCase, reproducer, runFuzz, type Finding, type Totals } from './run.js';
import { loadSeeds, type SeedCorpus } from './seeds.js';

const SEED = 20240607;
const CASES = 2500;

let corpus: SeedCorpus | undefined;
function seeds(): SeedCorpus {
  corpus ??= loadSeeds();
  return corpus;
}

function describeFinding(f: Finding): string {
  const small = f.bytes.length <= 2048 ? `\n  input (base64): ${Buffer.from(f.bytes).toString('base64')}` : '';
  return `${f.kind} at seed ${f.seed} case ${f.index} (${f.origin}): ${f.message}\n  input: ${f.file ?? '(not written)'}\n  reproduce: ${reproducer(f.seed, f.index)}${small}`;
}

describe('fuzz: decoder, validator and compiler', () => {
  let totals: Totals | undefined;
  afterAll(() => {
    if (totals === undefined) return;
    console.log(
      `fuzz (seed ${SEED}): ${totals.inputs} inputs, ${totals.malformed + totals.unsupported + totals.invalid} rejected with located errors, ${totals.validated} validated, ` +
        `${totals.compiled} compiled, ${totals.wabtChecked} cross-checked with wabt, ${totals.findings} findings`,
    );
  });

  it('makes the same case from the same seed and number', () => {
    const { seeds: list } = seeds();
    for (const index of [0, 7, 123]) expect(makeCase(SEED, index, list).bytes).toEqual(makeCase(SEED, index, list).bytes);
    expect(makeCase(SEED, 1, list).bytes).not.toEqual(makeCase(SEED + 1, 1, list).bytes);
  });

  it(`finds nothing in ${CASES} inputs`, async () => {
    const corpus = seeds();
    for (const s of corpus.skipped) console.warn(`fuzz: skipped ${s}`);
    const run = await runFuzz({
      seed: SEED,
      seeds: corpus.seeds,
      board: loadBoard('m4'),
      cases: CASES,
      compileBudget: 30,
      compileShare: 0.3,
      wabtEvery: 10,
      slowMs: 5_000,
      hangMs: 30_000,
      compileMaxBytes: 16 * 1024,
      findingsDir: join(projectRoot, 'build', 'fuzz', 'findings'),
    });
    totals = run.totals;
    expect(run.totals.inputs).toBe(CASES);
    expect(run.totals.compiled).toBeGreaterThan(10);
    expect(run.findings.map(describeFinding)).toEqual([]);
  }, 120_000);
});
