import { resolve } from 'node:path';
import { loadBoard } from '../../config/board.js';
import { fail } from '../../diagnostics/error.js';
import { failureLines, scriptLine, totalsLine } from '../../spec/report.js';
import { defaultSuiteDir, resolveScripts, runSpec } from '../../spec/run.js';
import type { Command } from '../command.js';
import { progress, seconds } from './shared.js';

export const specCommand: Command = {
  name: 'spec',
  summary: 'run the WebAssembly spec test suite on the board emulator',
  usage: '--board <board> [files...]',
  details:
    'Runs .wast scripts of the official Wasm 2.0 suite: each script becomes one firmware image\n' +
    '(its modules compiled ahead of time, a generated driver for its assertions) run once on QEMU.\n' +
    'A file is a path or a name in the suite (i32, i32.wast); the default is every file but simd_*.\n' +
    'Prints a line per file, the details of each failure, and the totals; exits 0 only when\n' +
    'nothing failed. Compiled modules are cached under --out-dir by content hash.',
  options: {
    board: { type: 'string', short: 'b', value: 'BOARD', description: 'board file or name' },
    suite: { type: 'string', value: 'DIR', description: `where the suite's .wast files are (default ${defaultSuiteDir})` },
    'out-dir': { type: 'string', value: 'DIR', description: 'where images and caches go', default: 'build/spec' },
    timeout: { type: 'string', short: 't', value: 'SECONDS', description: 'time limit of one run of an image', default: '120' },
    jobs: { type: 'string', short: 'j', value: 'N', description: 'concurrent jobs (compiles, links, emulator runs)', default: '2' },
  },
  async run(positionals, options) {
    if (!options.board) fail('B9001', 'bento spec needs --board');
    const board = loadBoard(options.board as string);
    const jobs = Number(options.jobs ?? 2);
    if (!Number.isInteger(jobs) || jobs < 1) fail('B9001', `--jobs must be a positive integer, not '${options.jobs}'`);
    const files = resolveScripts(positionals, resolve((options.suite as string | undefined) ?? defaultSuiteDir));
    const summary = await runSpec({
      board,
      files,
      outDir: resolve((options['out-dir'] as string | undefined) ?? 'build/spec'),
      timeoutSeconds: seconds(options.timeout, 'timeout', 120),
      jobs,
      onProgress: progress,
      onScript: (s) => {
        console.log(scriptLine(s));
        for (const line of failureLines(s)) console.log(line);
      },
    });
    console.error(`bento spec: ${summary.scripts.length} files on ${board.name} in ${summary.seconds.toFixed(1)} s`);
    console.log(totalsLine(summary));
    return summary.failed === 0 ? 0 : 1;
  },
};
