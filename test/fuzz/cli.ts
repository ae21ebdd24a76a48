// `npm run fuzz`: the long fuzz run. Every finding's input goes to build/fuzz/findings/.
//
//   npx tsx test/fuzz/cli.ts [--minutes N] [--seed S] [--cases N] [--compile-share P] [--wabt-every N]
//   npx tsx test/fuzz/cli.ts --seed S --case N        one case again, with its message
//   npx tsx test/fuzz/cli.ts --replay FILE.wasm       one input file through every check
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadBoard } from '../../src/config/board.js';
import { projectRoot } from '../support/cli.js';
import { runCase, runFuzz, type Totals } from './run.js';
import { loadSeeds } from './seeds.js';
import { Watchdog } from './watchdog.js';

const findingsDir = join(projectRoot, 'build', 'fuzz', 'findings');

function printTotals(totals: Totals, seconds: number): void {
  const rejected = totals.malformed + totals.unsupported + totals.invalid;
  console.log(`fuzz: ${totals.inputs} inputs in ${seconds.toFixed(0)} s`);
  console.log(`  decoded and validated:  ${totals.inputs}`);
  console.log(`  rejected, located:      ${rejected} (malformed ${totals.malformed}, unsupported ${totals.unsupported}, invalid ${totals.invalid})`);
  console.log(`  validated:              ${totals.validated}`);
  console.log(`  compiled (opt + llc):   ${totals.compiled} (refused by lowering ${totals.compileRefused}, memory too large ${totals.compileSkipped})`);
  console.log(`  cross-checked by wabt:  ${totals.wabtChecked}`);
  console.log(`  findings:               ${totals.findings}${totals.findings > 0 ? ` (inputs in ${findingsDir})` : ''}`);
  for (const [sig, count] of [...totals.signatures].sort((a, b) => b[1] - a[1])) console.log(`    ${count} x ${sig}`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '10' },
      seed: { type: 'string' },
      cases: { type: 'string' },
      case: { type: 'string' },
      replay: { type: 'string' },
      'compile-share': { type: 'string', default: '0.15' },
      'wabt-every': { type: 'string', default: '4' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('usage: npx tsx test/fuzz/cli.ts [--minutes N] [--seed S] [--cases N] [--compile-share P] [--wabt-every N] [--case N] [--replay FILE]');
    return 0;
  }
  const board = loadBoard('m4');
  const seed = values.seed !== undefined ? Number(values.seed) >>> 0 : (Date.now() & 0x7fffffff) >>> 0;
  const common = { board, slowMs: 5_000, hangMs: 30_000, compileMaxBytes: 16 * 1024, findingsDir, wabtEvery: Number(values['wabt-every']) };

  if (values.replay !== undefined) {
    const bytes = readFileSync(values.replay);
    const dir = mkdtempSync(join(tmpdir(), 'bento-fuzz-replay-'));
    const watchdog = new Watchdog(findingsDir);
    const totals: Totals = { inputs: 0, malformed: 0, unsupported: 0, invalid: 0, validated: 0, compiled: 0, compileRefused: 0, compileSkipped: 0, wabtChecked: 0, findings: 0, signatures: new Map() };
    let found = 0;
    try {
      await runCase({ index: 0, bytes, origin: values.replay, fresh: true }, { ...common, seed: 0, seeds: [], compileBudget: 1, compileShare: 1, compileMaxBytes: Number.POSITIVE_INFINITY, only: 0, wabtEvery: 1 }, totals, dir, watchdog, (p) => {
        found++;
        console.log(`finding ${p.kind}: ${p.message}`);
      });
    } finally {
      await watchdog.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
    printTotals(totals, 0);
    return found > 0 ? 1 : 0;
  }

  const corpus = loadSeeds();
  for (const s of corpus.skipped) console.log(`fuzz: skipped ${s}`);
  const only = values.case !== undefined ? Number(values.case) : undefined;
  const cases = values.cases !== undefined ? Number(values.cases) : undefined;
  const timeMs = only === undefined && cases === undefined ? Number(values.minutes) * 60_000 : undefined;
  console.log(`fuzz: seed ${seed}, ${corpus.seeds.length} seed modules, ${only !== undefined ? `case ${only}` : cases !== undefined ? `${cases} cases` : `${values.minutes} minutes`}`);
  const t0 = Date.now();
  const { totals } = await runFuzz({
    ...common,
    seed,
    seeds: corpus.seeds,
    cases,
    timeMs,
    only,
    compileBudget: only !== undefined ? 1 : Number.MAX_SAFE_INTEGER,
    compileShare: Number(values['compile-share']),
    wabtEvery: only !== undefined ? 1 : common.wabtEvery,
    log: (line) => console.log(line),
  });
  printTotals(totals, (Date.now() - t0) / 1000);
  return totals.findings > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
