// The fuzz loop shared by the bounded CI test and `npm run fuzz`: case N of seed S is always the
// same input (its generator is seeded by S and N alone), so a finding is reproduced by its pair.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Board } from '../../src/config/board.js';
import type { BoundsStrategy } from '../../src/lower/types.js';
import { checkCompile, checkFrontEnd, knownDisagreement, wabtAccepts, wabtRejectsOnlyCustomSections, type Problem } from './checks.js';
import { generateModule } from './generate.js';
import { mutate } from './mutate.js';
import { generateStress } from './stress.js';
import { Rng } from './rng.js';
import type { Seed } from './seeds.js';
import { Watchdog } from './watchdog.js';

export interface FuzzCase {
  index: number;
  bytes: Uint8Array;
  /** How it was made: "spec/br.3.wasm +3 mutations", "generated". */
  origin: string;
  /** Made by mutation or generation (an unchanged seed is not compiled: the spec run does that). */
  fresh: boolean;
  /** A module at the edges (stress.ts): compiled whatever its size. */
  stress?: boolean;
}

export interface FuzzOptions {
  seed: number;
  seeds: readonly Seed[];
  board: Board;
  /** Stop after this many cases ... */
  cases?: number;
  /** ... or after this many milliseconds. */
  timeMs?: number;
  /** Most compiles in the run, and the share of valid fresh modules compiled. */
  compileBudget: number;
  compileShare: number;
  /** Cross-check one case in this many with wabt (0: never). */
  wabtEvery: number;
  /** A single input's decode + validate time past which it is a finding; the hard kill limit. */
  slowMs: number;
  hangMs: number;
  /** Compiles larger inputs are skipped (opt and llc time grows with size). */
  compileMaxBytes: number;
  findingsDir: string;
  /** Only run this case. */
  only?: number;
  log?: (line: string) => void;
}

export interface Finding extends Problem {
  seed: number;
  index: number;
  origin: string;
  bytes: Uint8Array;
  /** Where the input was written. */
  file?: string;
}

export interface Totals {
  inputs: number;
  /** Rejected by the decoder (B3001, B3003) and the validator (B3002), each with a located error. */
  malformed: number;
  unsupported: number;
  invalid: number;
  validated: number;
  compiled: number;
  compileRefused: number;
  compileSkipped: number;
  wabtChecked: number;
  findings: number;
  /** Findings by kind and first line, so a thousand copies of one bug read as one. */
  signatures: Map<string, number>;
}

const BOUNDS: readonly BoundsStrategy[] = ['software', 'mask', 'none', 'mpu'];

/** Case `index` of run `seed`: a generated module, or a seed, mutated a few times. */
export function makeCase(seed: number, index: number, seeds: readonly Seed[]): FuzzCase {
  const rng = new Rng(seed, index);
  const pickSeed = (): Seed => {
    const others = seeds.filter((s) => !s.name.startsWith('spec/'));
    return others.length > 0 && rng.chance(0.15) ? rng.pick(others) : rng.pick(seeds);
  };
  if (rng.chance(0.03)) {
    let bytes = generateStress(rng);
    const n = rng.chance(0.7) ? 0 : 1;
    if (n > 0) bytes = mutate(rng, bytes, generateModule(rng));
    return { index, bytes, origin: n === 0 ? 'stress' : 'stress +1 mutation', fresh: true, stress: true };
  }
  if (seeds.length === 0 || rng.chance(0.25)) {
    let bytes = generateModule(rng);
    const n = rng.chance(0.5) ? 0 : rng.range(1, 3);
    for (let i = 0; i < n; i++) bytes = mutate(rng, bytes, seeds.length > 0 ? pickSeed().bytes : generateModule(rng));
    return { index, bytes, origin: n === 0 ? 'generated' : `generated +${n} mutations`, fresh: true };
  }
  const base = pickSeed();
  const n = rng.weighted([[2, 0], [6, 1], [3, 2], [2, 3], [1, 6]]);
  let bytes = base.bytes;
  for (let i = 0; i < n; i++) bytes = mutate(rng, bytes, rng.chance(0.8) ? pickSeed().bytes : generateModule(rng));
  return { index, bytes, origin: n === 0 ? base.name : `${base.name} +${n} mutations`, fresh: n > 0 };
}

function signature(problem: Problem): string {
  const first = problem.message.split('\n')[0] ?? '';
  return `${problem.kind}: ${first.replace(/0x[0-9a-f]+|\d+/g, 'N').slice(0, 160)}`;
}

export function reproducer(seed: number, index: number): string {
  return `npx tsx test/fuzz/cli.ts --seed ${seed} --case ${index}`;
}

export async function runFuzz(options: FuzzOptions): Promise<{ totals: Totals; findings: Finding[] }> {
  const log = options.log ?? (() => {});
  const totals: Totals = { inputs: 0, malformed: 0, unsupported: 0, invalid: 0, validated: 0, compiled: 0, compileRefused: 0, compileSkipped: 0, wabtChecked: 0, findings: 0, signatures: new Map() };
  const findings: Finding[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'bento-fuzz-'));
  const watchdog = new Watchdog(options.findingsDir);
  const started = Date.now();

  const report = (fuzzCase: FuzzCase, problem: Problem): void => {
    totals.findings++;
    const sig = signature(problem);
    const seen = totals.signatures.get(sig) ?? 0;
    totals.signatures.set(sig, seen + 1);
    const finding: Finding = { ...problem, seed: options.seed, index: fuzzCase.index, origin: fuzzCase.origin, bytes: fuzzCase.bytes };
    // The first few inputs of each signature are kept; the rest only counted.
    if (seen < 3) {
      mkdirSync(options.findingsDir, { recursive: true });
      const hash = createHash('sha256').update(fuzzCase.bytes).digest('hex').slice(0, 12);
      const base = join(options.findingsDir, `${problem.kind}-${hash}`);
      writeFileSync(`${base}.wasm`, fuzzCase.bytes);
      writeFileSync(`${base}.txt`, `${problem.kind} (seed ${options.seed}, case ${fuzzCase.index}, from ${fuzzCase.origin})\n${problem.message}\n\nreproduce: ${reproducer(options.seed, fuzzCase.index)}\n      or: npx tsx test/fuzz/cli.ts --replay ${base}.wasm\n`);
      finding.file = `${base}.wasm`;
      findings.push(finding);
      log(`finding ${problem.kind} at case ${fuzzCase.index} (${fuzzCase.origin}): ${problem.message.split('\n')[0]}\n  input: ${finding.file}\n  reproduce: ${reproducer(options.seed, fuzzCase.index)}`);
    }
  };

  try {
    for (let index = options.only ?? 0; ; index++) {
      if (options.only !== undefined && index > options.only) break;
      if (options.cases !== undefined && index >= options.cases) break;
      if (options.timeMs !== undefined && Date.now() - started > options.timeMs) break;
      const fuzzCase = makeCase(options.seed, index, options.seeds);
      await runCase(fuzzCase, options, totals, dir, watchdog, (p) => report(fuzzCase, p));
      if (options.timeMs !== undefined && index % 2000 === 1999) log(`... ${totals.inputs} inputs, ${totals.validated} valid, ${totals.compiled} compiled, ${totals.findings} findings`);
    }
  } finally {
    await watchdog.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  return { totals, findings };
}

/** One input through decode and validate, wabt when its turn comes, and compilation when chosen. */
export async function runCase(fuzzCase: FuzzCase, options: FuzzOptions, totals: Totals, dir: string, watchdog: Watchdog, report: (p: Problem) => void): Promise<void> {
  const rng = new Rng(options.seed ^ 0x5bd1e995, fuzzCase.index);
  totals.inputs++;
  const label = `seed${options.seed}-case${fuzzCase.index}`;
  watchdog.start(label, fuzzCase.bytes, options.hangMs);
  const { outcome } = checkFrontEnd(fuzzCase.bytes, options.slowMs);
  watchdog.stop();
  if (outcome.result === 'finding') {
    report(outcome.problem);
    return;
  }
  if (outcome.result === 'rejected') {
    if (outcome.code === 'B3001') totals.malformed++;
    else if (outcome.code === 'B3003') totals.unsupported++;
    else totals.invalid++;
  } else {
    totals.validated++;
  }

  if (options.wabtEvery > 0 && fuzzCase.index % options.wabtEvery === 0) {
    totals.wabtChecked++;
    const wabt = wabtAccepts(fuzzCase.bytes, dir);
    const bentoAccepts = outcome.result === 'valid';
    const excused = knownDisagreement(outcome, fuzzCase.bytes) || (bentoAccepts && wabtRejectsOnlyCustomSections(fuzzCase.bytes, dir));
    if (wabt.accepted !== bentoAccepts && !excused) {
      const bento = outcome.result === 'valid' ? 'accepts' : `rejects (${outcome.code}: ${outcome.message.split('\n')[0]})`;
      report({ kind: 'disagree', message: `bento ${bento}; wasm-validate ${wabt.accepted ? 'accepts' : `rejects (${wabt.message})`}` });
    }
  }

  // Drawn on every case, so that `--case N` makes the same choices as the run did.
  const chosen = rng.chance(options.compileShare);
  const bounds = rng.pick(BOUNDS);
  const wantCompile =
    outcome.result === 'valid' &&
    fuzzCase.fresh &&
    (fuzzCase.bytes.length <= options.compileMaxBytes || fuzzCase.stress === true) &&
    totals.compiled + totals.compileRefused + totals.compileSkipped < options.compileBudget &&
    (options.only !== undefined || chosen);
  if (!wantCompile) return;
  // Lowering runs on this thread too; opt and llc are child processes and end on their own.
  watchdog.start(`${label}-compile`, fuzzCase.bytes, options.hangMs * 20);
  const compiled = await checkCompile({ bytes: fuzzCase.bytes, board: options.board, bounds, dir, memoryLimit: 1 << 20 });
  watchdog.stop();
  if (compiled.result === 'finding') report(compiled.problem);
  else if (compiled.result === 'compiled') totals.compiled++;
  else if (compiled.result === 'refused') totals.compileRefused++;
  else totals.compileSkipped++;
}
