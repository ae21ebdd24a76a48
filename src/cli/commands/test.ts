import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { loadBoard } from '../../config/board.js';
import { fail } from '../../diagnostics/error.js';
import { caseNames, loadCases } from '../../test-runner/cases.js';
import { renderJUnit } from '../../test-runner/junit.js';
import { planPairs } from '../../test-runner/plan.js';
import { jsonReport, resultLines, totals, totalsLine } from '../../test-runner/report.js';
import { runTests } from '../../test-runner/run.js';
import { selectCases } from '../../test-runner/select.js';
import type { Command } from '../command.js';
import { progress, seconds } from './shared.js';

export const testCommand: Command = {
  name: 'test',
  summary: "build the project's test cases (test/*.toml, test/*.expected) and run them on the board emulator",
  usage: '[case...] [--board B1,B2] [--filter GLOB] [-j N] [--junit FILE] [--json]',
  details:
    'A case is test/<case>.toml (recipe, boards, exit-code, expected, timeout, icount) and/or its\n' +
    'expected UART output test/<case>.expected, with {board}, {hex}, {num}, {*} and {...} lines.\n' +
    'Each case runs on each of its boards (or --board): built once per recipe and board, judged\n' +
    'by exit code and output. Prints a line per case and board, then "N passed, N failed, N\n' +
    'skipped". Exits 0 when nothing failed, 1 when something did, 2 on a bad command line.',
  options: {
    board: { type: 'string', short: 'b', value: 'B1,B2', description: "boards to run every case on, instead of the cases' own" },
    filter: { type: 'string', short: 'f', value: 'GLOB', description: 'run only the cases whose name matches, e.g. "boot*"' },
    jobs: { type: 'string', short: 'j', value: 'N', description: 'concurrent builds and emulator runs (default: the number of CPUs)' },
    recipe: { type: 'string', short: 'r', value: 'FILE', description: "the project's recipe, built by cases that name none", default: 'bento.toml' },
    timeout: { type: 'string', short: 't', value: 'SECONDS', description: "every run's time limit, instead of the cases' own (default 60 s)" },
    junit: { type: 'string', value: 'FILE', description: 'also write the results as JUnit XML, for CI' },
    json: { type: 'boolean', description: 'print the results as JSON on stdout instead of lines' },
  },
  async run(positionals, options) {
    const jobs = options.jobs === undefined ? availableParallelism() : Number(options.jobs);
    if (!Number.isInteger(jobs) || jobs < 1) fail('B9001', `--jobs must be a positive integer, not '${options.jobs}'`);
    const timeoutSeconds = options.timeout === undefined ? undefined : seconds(options.timeout, 'timeout', 60);
    const boardList = options.board === undefined ? undefined : (options.board as string).split(',').map((b) => b.trim());
    if (boardList?.some((b) => b === '')) fail('B9001', `--board takes a comma-separated list of boards, not '${options.board}'`, { hint: 'e.g. --board m4,m7' });
    const boards = boardList?.map((b) => loadBoard(b));
    const junit = options.junit === undefined ? undefined : resolve(options.junit as string);
    if (junit !== undefined) checkWritable(junit);

    const testDir = resolve('test');
    if (!existsSync(testDir) || !statSync(testDir).isDirectory()) {
      fail('B1007', `no test folder at ${testDir}`, { hint: 'put each case in test/: test/<case>.toml (boards = ["m4"]) and its expected UART output test/<case>.expected' });
    }
    const all = caseNames(testDir);
    if (all.length === 0) fail('B1007', `no test cases in ${testDir}`, { hint: 'a case is test/<case>.toml (boards = ["m4"]) and/or test/<case>.expected, the UART output its run must print' });
    const chosen = selectCases(all, positionals, options.filter as string | undefined);
    const cases = loadCases(testDir, chosen, resolve(options.recipe as string));
    const pairs = planPairs(cases, boards);

    const json = options.json === true;
    const started = performance.now();
    const results = await runTests({
      pairs,
      jobs,
      logDir: resolve('build', 'test'),
      timeoutSeconds,
      onResult: json ? undefined : (r) => console.log(resultLines(r).join('\n')),
      onProgress: progress,
    });
    const elapsed = (performance.now() - started) / 1000;
    const t = totals(results);
    if (junit !== undefined) writeAtomically(junit, renderJUnit(results, basename(process.cwd()), process.cwd()));
    if (json) console.log(JSON.stringify(jsonReport(results, elapsed), null, 2));
    else console.log(totalsLine(t));
    console.error(`bento test: ${cases.length} case(s), ${pairs.length} run(s) in ${elapsed.toFixed(1)} s`);
    return t.failed === 0 ? 0 : 1;
  },
};

/** --junit's file is checked before anything runs: a bad path must not cost a test run. */
function checkWritable(file: string): void {
  if (existsSync(file) && statSync(file).isDirectory()) fail('B9001', `--junit ${file} is a folder`, { hint: 'name the XML file to write, e.g. --junit build/junit.xml' });
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (err) {
    fail('B9001', `--junit: cannot make the folder ${dirname(file)} (${(err as NodeJS.ErrnoException).code})`);
  }
}

/** Written whole or not at all: a CI server never reads half a report. */
function writeAtomically(file: string, text: string): void {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch (err) {
    rmSync(temporary, { force: true });
    fail('B9002', `cannot write the JUnit report ${file} (${(err as NodeJS.ErrnoException).code})`);
  }
}
