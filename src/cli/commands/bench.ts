import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checksumMismatches, didNotFitText, measureCalls, runBench } from '../../bench/bench.js';
import { latencyTimerMachines, measureLatency } from '../../bench/latency.js';
import { formatLatencyReport, latencyMisses, replaceLatencySection } from '../../bench/latency-report.js';
import { libraryWorkloads, measureLibraries, resultMismatches } from '../../bench/libraries.js';
import { formatLibrariesReport, replaceLibrariesSection } from '../../bench/libraries-report.js';
import { formatRamReport, replaceRamSection } from '../../bench/ram-report.js';
import { measureRam, ramExamples } from '../../bench/ram-table.js';
import { formatReport, geomeanChart } from '../../bench/report.js';
import { allVariants, listKernels, variantName } from '../../bench/variants.js';
import { loadBoard } from '../../config/board.js';
import { fail } from '../../diagnostics/error.js';
import { bentoRoot } from '../../paths.js';
import { emulatorOf } from '../../run/qemu.js';
import type { Command } from '../command.js';
import { printJsonValue } from '../output.js';
import { listOption } from './shared.js';
import { serverlessBench, serverlessBenchOptions } from './bench-serverless.js';

/** The --quick subset: an integer, a float and a memory-bound kernel. */
const quickKernels = ['crc32', 'gemm', 'introsort'];
/** Boards without --board: the M4 alone with --quick. */
const defaultBoards = ['m4', 'm7'];
/** Boards of the RAM table without --board: a PMSAv7 and a PMSAv8 one. */
const ramBoards = ['m4', 'm33'];

/** Boards of the latency table without --board: every emulated board (those without a timer the firmware drives say so). */
const latencyBoards = ['m4', 'm7', 'm33', 'm55', 'stm32f405', 'lm3s6965'];

/** The commit the measured code is at, for the generated Markdown. */
function currentCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: bentoRoot, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown'; // not a git checkout
  }
}

/**
 * `bento bench --ram`: the RAM each box of the examples takes, built every way, on boards that
 * need not be emulated (nothing runs). --markdown replaces the tables in the file in place.
 */
async function ramTable(options: Record<string, string | boolean | undefined>): Promise<number> {
  for (const other of ['quick', 'kernels', 'svg', 'libraries'] as const) {
    if (options[other] !== undefined && options[other] !== false) fail('B9001', `--${other} does not apply to --ram`);
  }
  const boardNames = options.board ? listOption(options.board) : ramBoards;
  if (boardNames.length === 0) fail('B9001', '--board names no board');
  const examples = options.examples ? listOption(options.examples) : [...ramExamples];
  for (const e of examples) {
    if (!existsSync(join(bentoRoot, 'examples', e, 'bento.toml'))) fail('B9001', `no example '${e}' in examples/`, { hint: `the RAM table covers ${ramExamples.join(', ')} by default` });
  }
  const results = await measureRam({
    examples,
    boards: boardNames.map((b) => loadBoard(b)),
    outDir: join(process.cwd(), 'build', 'ram-table'),
    onStep: (m) => console.error(`  ${m}`),
  });
  const report = formatRamReport(results, currentCommit());
  if (options.json) printJsonValue({ commit: currentCommit(), ram: results });
  else console.log(report);
  if (options.markdown) {
    const file = options.markdown as string;
    writeFileSync(file, replaceRamSection(existsSync(file) ? readFileSync(file, 'utf8') : '', report));
  }
  return 0;
}

/**
 * `bento bench --latency`: instructions from a timer's raise to the host handler while each case
 * runs, on emulated boards, against the same handler without boxes. --markdown replaces its own
 * section in place. Exit 0 when every board measured soundly, whether or not the target is met:
 * a miss is a finding, reported in the table and on stderr.
 */
async function latencyTable(options: Record<string, string | boolean | undefined>): Promise<number> {
  for (const other of ['quick', 'kernels', 'svg', 'examples', 'ram', 'libraries'] as const) {
    if (options[other] !== undefined && options[other] !== false) fail('B9001', `--${other} does not apply to --latency`);
  }
  const boardNames = options.board ? listOption(options.board) : latencyBoards;
  if (boardNames.length === 0) fail('B9001', '--board names no board');
  const boards = boardNames.map((b) => loadBoard(b));
  // Before anything is built: every board must be one QEMU runs (B6010 otherwise).
  for (const board of boards) emulatorOf(board);
  const results = [];
  for (const board of boards) {
    const r = await measureLatency(board, (m) => console.error(`  ${m}`));
    if ('missing' in r) console.error(`  ${board.name}: not measured: ${r.missing}`);
    results.push(r);
  }
  if (!results.some((r) => 'cases' in r)) {
    fail('B6012', `no board of ${boardNames.join(', ')} has a timer bench/latency drives`, { hint: `bench/latency/timer.h drives a timer of QEMU's ${latencyTimerMachines().join(', ')}` });
  }
  const report = formatLatencyReport(results, currentCommit());
  if (options.json) printJsonValue({ commit: currentCommit(), latency: results });
  else console.log(report);
  if (options.markdown) {
    const file = options.markdown as string;
    writeFileSync(file, replaceLatencySection(existsSync(file) ? readFileSync(file, 'utf8') : '', report));
  }
  const unsound = results.flatMap((r) => ('problems' in r ? r.problems.map((p) => `${r.board}: ${p}`) : []));
  if (unsound.length) {
    console.error(`bento: the latency measurement is not sound:\n  ${unsound.join('\n  ')}`);
    return 1;
  }
  const misses = latencyMisses(results);
  console.error(misses.length ? `bento: interrupt latency misses the target on ${misses.join('; ')}` : 'bento: interrupt latency within the target in every case measured');
  return 0;
}

/**
 * `bento bench --libraries`: real libraries (littlefs, cJSON) natively and as WASI programs with
 * software and mpu bounds, in instructions, library code and stack and heap peaks; every variant
 * must print the gcc build's result lines. --markdown replaces its own section in place.
 */
async function librariesTable(options: Record<string, string | boolean | undefined>): Promise<number> {
  for (const other of ['quick', 'kernels', 'svg', 'examples', 'ram', 'latency'] as const) {
    if (options[other] !== undefined && options[other] !== false) fail('B9001', `--${other} does not apply to --libraries`);
  }
  const boardNames = options.board ? listOption(options.board) : defaultBoards;
  if (boardNames.length === 0) fail('B9001', '--board names no board');
  const boards = boardNames.map((b) => loadBoard(b));
  for (const board of boards) emulatorOf(board);
  const results = await measureLibraries({
    boards,
    workloads: libraryWorkloads,
    outDir: join(process.cwd(), 'build', 'libraries'),
    onRun: (r) => console.error(`  ${r.board} ${r.workload.padEnd(9)} ${r.variant.padEnd(18)} ${String(r.instructions).padStart(11)} instructions  library code ${r.libraryCode} bytes`),
    onRefused: (r) => console.error(`  ${r.board} ${r.workload.padEnd(9)} ${r.variant.padEnd(18)} refused: ${r.reason.split('\n')[0]}`),
  });
  const report = formatLibrariesReport(results, currentCommit());
  if (options.json) printJsonValue({ commit: currentCommit(), libraries: results });
  else console.log(report);
  if (options.markdown) {
    const file = options.markdown as string;
    writeFileSync(file, replaceLibrariesSection(existsSync(file) ? readFileSync(file, 'utf8') : '', report));
  }
  const mismatches = resultMismatches(results);
  if (mismatches.length > 0) {
    console.error(`bento: variants disagree with the gcc reference:\n  ${mismatches.join('\n  ')}`);
    return 1;
  }
  const refused = results.refused.length > 0 ? ` (${results.refused.length} refused to build)` : '';
  console.error(`bento: ${results.runs.length} runs${refused}, every variant prints what gcc's build prints`);
  return 0;
}

export const benchCommand: Command = {
  name: 'bench',
  positionals: 'none',
  summary: 'compare Wasm boxes with native C on the boards, in instructions counted by QEMU',
  usage: '[--board m4,m7] [--quick] [--kernels a,b] [--markdown FILE] | --ram [--board m4,m33] [--examples a,b] [--markdown FILE] | --latency [--board m4,m33] [--markdown FILE] | --libraries [--board m4,m7] [--markdown FILE] | serverless --board m4 [--emulate N] [--recipe a.toml,b.toml] [--rate N --duration S | --burst N] [--mix route:weight,...]',
  details:
    'Builds every kernel of bench/kernels natively (clang-14 and arm-none-eabi-gcc, -O2) and as a Wasm\n' +
    'box with each bounds strategy, runs each under QEMU -icount, checks that all variants on all\n' +
    "boards agree on the kernel's checksum, and prints ratios to native clang per board. A variant\n" +
    "whose memory a board's RAM cannot hold is reported as not fitting, with the numbers, and the\n" +
    'rest runs. Instruction counts are not cycles.\n\n' +
    "--ram instead tabulates the RAM each box of the examples takes, in bytes: as a Wasm box with each bounds\n" +
    'strategy (RAM region + linear memory as planned), as a native MPU box, and as plain native code, against\n' +
    "what it needs and issue 14's target. It builds every variant (under build/ram-table/) and runs nothing.\n\n" +
    '--latency instead measures interrupt latency: instructions from a timer raising the host handler\'s line to\n' +
    "the handler's first instruction while the host, a Wasm box, a native box, a box call, a box fault and an\n" +
    'expiring budget run (bench/latency), worst case and median, against the same handler in an image without\n' +
    'boxes, under QEMU -icount with an instruction trace. About a minute per board.\n\n' +
    '`bench serverless` (or --serverless) instead loads serverless devices with requests and reports latency in\n' +
    'device ticks and wall ms, deadline misses, rejections and errors per route, recipes side by side (docs/serve.md).',
  options: {
    board: { type: 'string', short: 'b', value: 'BOARDS', description: `emulated boards, comma-separated (default ${defaultBoards.join(',')}; with --quick ${defaultBoards[0]})` },
    quick: { type: 'boolean', description: `only ${quickKernels.join(', ')}` },
    kernels: { type: 'string', value: 'NAMES', description: 'kernels to run, comma-separated (default: all)' },
    markdown: { type: 'string', value: 'FILE', description: 'also write the report there, with the commit it came from (with --ram or --latency: replace its own section, or add it at the end)' },
    ram: { type: 'boolean', description: `the RAM table instead (boards ${ramBoards.join(',')} unless --board)` },
    latency: { type: 'boolean', description: `interrupt latency instead (boards ${latencyBoards.join(',')} unless --board)` },
    libraries: { type: 'boolean', description: `the real-library table instead (boards ${defaultBoards.join(',')} unless --board)` },
    examples: { type: 'string', value: 'NAMES', description: `examples, comma-separated (default ${ramExamples.join(',')})`, needs: 'ram' },
    svg: { type: 'string', value: 'FILE', description: 'also write a bar chart of the geometric means there' },
    json: { type: 'boolean', description: 'the measurements as JSON on stdout instead of the tables (progress stays on stderr)' },
    ...serverlessBenchOptions,
  },
  async run(positionals, options) {
    if (options.serverless || positionals[0] === 'serverless') return serverlessBench(options);
    if (options.latency) return latencyTable(options);
    if (options.libraries) return librariesTable(options);
    if (options.ram) return ramTable(options);
    const boardNames = options.board ? listOption(options.board) : options.quick ? defaultBoards.slice(0, 1) : defaultBoards;
    if (boardNames.length === 0) fail('B9001', '--board names no board');
    const boards = boardNames.map((b) => loadBoard(b));
    // Before anything is built: every board must be one QEMU runs (B6010 otherwise).
    for (const board of boards) emulatorOf(board);
    const known = listKernels();
    const kernels = options.kernels ? (options.kernels as string).split(',') : options.quick ? quickKernels : known;
    for (const k of kernels) if (!known.includes(k)) fail('B9001', `no kernel '${k}' in bench/kernels`, { hint: `there are: ${known.join(', ')}` });
    const results = await runBench({
      boards,
      kernels,
      variants: allVariants,
      outDir: join(process.cwd(), 'build', 'bench'),
      onResult: (m) => console.error(`  ${m.board} ${m.kernel.padEnd(15)} ${m.variant.padEnd(14)} ${String(m.instructions).padStart(11)} instructions  checksum ${m.checksum}`),
      onNotFitted: (n) => console.error(`  ${n.board} ${n.kernel.padEnd(15)} ${n.variant.padEnd(14)} ${didNotFitText(n)}`),
    });
    const calls = [];
    for (const board of boards) calls.push(await measureCalls(board));
    const report = [
      formatReport(results),
      '### Cost of one call across a box boundary (host -> box -> host, bench/calls), in instructions',
      '',
      '| board | into a Wasm box | into a native box | into a Wasm box with a 64-byte buffer | with eight argument words | into one of a box\'s instances | through a callback token | Wasm box -> host | Wasm box -> host with a 16-byte buffer | Wasm box -> Wasm box |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...calls.map((c) =>
        'wasm' in c
          ? `| ${c.board} | ${c.wasm} | ${c.native} | ${c.wasmBuffer} | ${c.wasmEightWords} | ${c.instance} | ${c.callback} | ${c.boxToHost} | ${c.boxToHostBuffer} | ${c.boxToBox} |`
          : `| ${c.board} | ${didNotFitText(c)} | | | | | | | | |`,
      ),
      '',
    ].join('\n');
    if (options.json) printJsonValue({ commit: currentCommit(), runs: results.runs, notFitted: results.notFitted, calls });
    else console.log(report);
    const mismatches = checksumMismatches(results.runs);
    if (options.svg) writeFileSync(options.svg as string, `${geomeanChart(results.runs)}\n`);
    if (options.markdown) {
      writeFileSync(options.markdown as string, `<!-- generated by bento bench at commit ${currentCommit()}: ${allVariants.map(variantName).join(', ')} -->\n\n${report}\n`);
    }
    if (mismatches.length > 0) {
      console.error(`bento: variants disagree on checksums:\n  ${mismatches.join('\n  ')}`);
      return 1;
    }
    const refused = results.notFitted.length > 0 ? ` (${results.notFitted.length} did not fit their board's RAM)` : '';
    console.error(`bento: ${results.runs.length} runs${refused}, every variant agrees on every checksum`);
    return 0;
  },
};
