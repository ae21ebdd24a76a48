// The long differential run: `npm run diff -- --modules 200 --seed 1000 [--board m4]`.
// Prints each script's mismatches as they come, then the totals; exits 1 on any mismatch.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadBoard } from '../../src/config/board.js';
import { bentoRoot } from '../../src/paths.js';
import { formatMismatch, runDifferential } from './differential.js';
import type { Generators } from './differential.js';
import { missingTools } from './generate.js';

const usage = `usage: tsx test/diff/main.ts [--modules N] [--seed S] [--generators both|binaryen|own] [--board m4]
                               [--per-script K] [--jobs J] [--out DIR]
  runs the modules of seeds S, S+1, ... S+N-1 (with both generators: a binaryen fuzz module and
  one of ours per seed) in V8 and in bento on the board, and compares results, traps, logged
  values and memory contents`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      modules: { type: 'string', default: '40' },
      seed: { type: 'string', default: '1' },
      board: { type: 'string', default: 'm4' },
      generators: { type: 'string', default: 'both' },
      'per-script': { type: 'string', default: '8' },
      jobs: { type: 'string', default: '2' },
      out: { type: 'string', default: join(bentoRoot, 'build', 'diff') },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const count = (name: string, text: string) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, not '${text}'\n${usage}`);
    return n;
  };
  const modules = count('modules', values.modules!);
  const first = count('seed', values.seed!);
  const missing = missingTools();
  if (missing) {
    console.error(`diff: ${missing}`);
    return 1;
  }
  const generators = values.generators as Generators;
  if (!['binaryen', 'own', 'both'].includes(generators)) throw new Error(`--generators is binaryen, own or both, not '${generators}'`);
  const board = loadBoard(values.board!);
  const report = await runDifferential({
    board,
    seeds: Array.from({ length: modules }, (_, i) => first + i),
    generators,
    perScript: Math.max(1, count('per-script', values['per-script']!)),
    outDir: values.out!,
    jobs: Math.max(1, count('jobs', values.jobs!)),
    timeoutSeconds: 300,
    onProgress: (m) => process.stderr.write(`  ${m}\n`),
    onScript: (s) => {
      console.log(`${s.name}: ${s.modules} modules, ${s.calls} calls, ${s.passed}/${s.checks} checks passed, ${s.mismatches.length} mismatches`);
      for (const m of s.mismatches) console.log(`  ${formatMismatch(m)}`);
    },
  });
  for (const i of report.invalid) console.log(`${i.module}: left out, V8 rejects it: ${i.why}`);
  for (const s of report.stopped) console.log(`${s.module}: ${s.why}`);
  const firsts = report.mismatches.filter((m) => !m.followsAnother).length;
  console.log(
    `diff on ${board.name}: ${report.generated} generated, ${report.modules} modules (${report.uninstantiable} trap while instantiating), ` +
      `${report.calls} export calls, ${report.passed}/${report.checks} checks passed, ${report.unchecked} NaN results unchecked, ` +
      `${report.mismatches.length} mismatches (${firsts} first in their module) in ${report.seconds.toFixed(0)} s`,
  );
  return report.mismatches.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`diff: ${(err as Error)?.stack ?? err}`);
    process.exit(1);
  },
);
