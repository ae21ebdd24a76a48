// The ARMv8-M boards end to end: m33 (QEMU mps2-an505, Cortex-M33) and m55 (mps3-an547,
// Cortex-M55 with MVE), both run Secure with the PMSAv8 driver (runtime-c/mpu/pmsav8.c). On each:
// native-hello, WASI programs against Node with software and MPU bounds, examples/mixed, the
// native attack suite, the fault reporter, the unaligned-access emulation and the host's stack
// guard; a few spec-suite files (skipped without the suite). The four Wasm attack systems are
// shared out, two a board; the budget suite runs on the m55.
// The m4's expected outputs are the reference: where a line names an address of the board (the
// UART, the counter, the vector table), it is mapped onto the board's own.
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { budgetFixture, expectBudgetRun } from '../support/budget-run.js';
import { bento, projectRoot } from '../support/cli.js';
import { specSuite, specSuiteMissing } from '../support/spec-suite.js';
import { normalise } from '../support/uart.js';
import { runInNode } from '../wasi/node-reference.js';
import { compileProgram } from '../wasi/programs.js';

const boards = ['m33', 'm55'] as const;
const minutes = (n: number) => n * 60_000;

/** The m4's addresses in the attack suite's lines, and each ARMv8-M board's (Secure aliases). */
const attackAddresses: Record<(typeof boards)[number], [string, string][]> = {
  m33: [
    ['(0x40004004)', '(0x50200004)'],
    ['(0x40004000)', '(0x50200000)'],
    ['(0x40028018)', '(0x50302018)'],
    ['vector table (0x0)', 'vector table (0x10000000)'],
    ['SVC vector (0x2c)', 'SVC vector (0x1000002c)'],
  ],
  m55: [
    ['(0x40004004)', '(0x59303004)'],
    ['(0x40004000)', '(0x59303000)'],
    ['(0x40028018)', '(0x59302018)'],
    ['vector table (0x0)', 'vector table (0x10000000)'],
    ['SVC vector (0x2c)', 'SVC vector (0x1000002c)'],
  ],
};

describe.each(boards)('on %s', (board) => {
  it('runs examples/native-hello', async () => {
    const dir = join(projectRoot, 'examples/native-hello');
    const built = await bento(['build', board], dir);
    expect(built.code, built.stderr).toBe(0);
    const r = await bento(['run', board], dir);
    expect(r.stdout).toBe([`Hello from bento on ${board}!`, 'boxes keep faults contained (27 chars)', 'fib(20) = 6765', 'float check: 9813/1000', ''].join('\n'));
    expect(r.code).toBe(0);
  }, minutes(2));

  it('runs examples/mixed (host, Wasm box, native box) with its expected output, and plans 32-byte regions', async () => {
    const dir = join(projectRoot, 'examples/mixed');
    const built = await bento(['build', board], dir);
    expect(built.code, built.stderr).toBe(0);
    const run = await bento(['run', board, '--timeout', '120'], dir);
    expect(normalise(run.stdout)).toBe(readFileSync(join(dir, 'test', 'mixed.expected'), 'utf8').replaceAll('{board}', board));
    expect(run.code, run.stderr).toBe(0);
    const plan = await bento(['plan', board], dir);
    expect(plan.stdout).toMatch(/^ {2}PMSAv8 regions of 32-byte granules: [\d.]+ KiB \(\d+ bytes\) less RAM than power-of-two regions$/m);
    expect(plan.stdout).toContain('MPU regions: 4 of 16 while a box runs');
  }, minutes(4));

  it('contains every native attack (test/fixtures/boxes/attacks/native)', async () => {
    const dir = join(projectRoot, 'test/fixtures/boxes/attacks/native');
    const expected = attackAddresses[board].reduce((text, [m4, here]) => text.replace(m4, here), readFileSync(join(dir, 'expected.txt'), 'utf8'));
    const built = await bento(['build', board], dir);
    expect(built.code, built.stderr).toBe(0);
    const run = await bento(['run', board, '--timeout', '120'], dir);
    const lines = run.stdout.split('\n');
    const host = lines.filter((l) => !l.startsWith('[bento]')).join('\n');
    expect(host).toBe(expected);
    expect(run.code, run.stderr).toBe(0);
    expect(lines.filter((l) => /\[bento\] box (victim|vault)\b/.test(l))).toEqual([]);
    expect(run.stdout).not.toContain('*** bento');
    expect(host).toContain('attacks: 115 tried, 115 contained, 110 ended in an error code\n');
    expect(host.match(/: -?\d+ \(.*\), unchanged$/gm)?.length).toBe(115);
  }, minutes(4));

  it('emulates unaligned VLDR/LDRD/VSTR, then reports a write to read-only code memory (MemManage, 151)', async () => {
    const dir = join(projectRoot, 'test/fixtures/armv8m');
    const built = await bento(['build', board, '--recipe', 'faults.toml'], dir);
    expect(built.code, built.stderr).toBe(0);
    const r = await bento(['run', join(dir, 'build', 'faults', board, 'faults.elf'), '--board', board], dir);
    expect(r.stdout).toContain('unaligned vldr: emulated, ldrd: emulated\nunaligned vstr: emulated\n');
    const report = r.stdout.replaceAll('\r', '');
    expect(report).toContain('*** bento: MemManage\n  CFSR 0x00000082 DACCVIOL MMARVALID\n  HFSR 0x00000000  MMFAR 0x10000100 ');
    expect(r.stdout).not.toContain('went through');
    expect(r.code).toBe(151);
  }, minutes(2));

  it('stops a host stack overflow at the guard (privileged read-only on PMSAv8)', async () => {
    const dir = join(projectRoot, 'test/fixtures/armv8m');
    const built = await bento(['build', board, '--recipe', 'overflow.toml'], dir);
    expect(built.code, built.stderr).toBe(0);
    const r = await bento(['run', join(dir, 'build', 'overflow', board, 'overflow.elf'), '--board', board], dir);
    const report = r.stdout.replaceAll('\r', '');
    expect(report).toContain('*** bento: MemManage\n  CFSR 0x00000092 DACCVIOL MSTKERR MMARVALID\n');
    expect(report).toContain('likely a stack overflow');
    expect(r.code).toBe(151);
  }, minutes(2));
});

// The Wasm attackers, spread over the two boards so that each runs one strategy that confines
// addresses in the code (software checks; mask's AND) and one that leans on the MPU (mpu's
// power-of-two region; none, no checks at all). Their lines name no board address, so they are
// attacks.test.ts's expected.txt as they are.
describe.each([
  { name: 'wasm-software', board: 'm33', tried: 113, errors: 112 },
  { name: 'wasm-mpu', board: 'm33', tried: 113, errors: 31 },
  { name: 'wasm-mask', board: 'm55', tried: 113, errors: 31 },
  { name: 'wasm-none', board: 'm55', tried: 113, errors: 84 },
])('attacks: $name on $board', (system) => {
  it('contains every attempt', async () => {
    const dir = join(projectRoot, 'test/fixtures/boxes/attacks', system.name);
    const built = await bento(['build', system.board], dir);
    expect(built.code, built.stderr).toBe(0);
    const run = await bento(['run', system.board, '--timeout', '120'], dir);
    const lines = run.stdout.split('\n');
    const host = lines.filter((l) => !l.startsWith('[bento]')).join('\n');
    expect(host).toBe(readFileSync(join(dir, 'expected.txt'), 'utf8'));
    expect(run.code, run.stderr).toBe(0);
    expect(lines.filter((l) => /\[bento\] box (victim|vault)\b/.test(l))).toEqual([]);
    expect(host).toContain(`attacks: ${system.tried} tried, ${system.tried} contained, ${system.errors} ended in an error code\n`);
  }, minutes(3));
});

describe.each(boards)('WASI programs on %s match Node', (board) => {
  const work = mkdtempSync(join(tmpdir(), `bento-armv8m-${board}-`));
  const programs = ['int-math', 'float-math', 'unaligned'];
  const wasms: Record<string, string> = {};
  beforeAll(() => {
    mkdirSync(join(work, 'programs'), { recursive: true });
    for (const name of programs) wasms[name] = compileProgram(name, join(work, 'programs'));
  });

  it.each(programs.flatMap((p) => ['software', 'mpu'].map((bounds) => [p, bounds])))('%s, %s bounds', async (name, bounds) => {
    const reference = await runInNode(wasms[name]!);
    const r = await bento(['run-wasm', wasms[name]!, '--board', board, '--bounds', bounds, '--out-dir', join(work, 'out', name, bounds)]);
    expect(r.stdout).toBe(reference.stdout);
    expect(r.stderr).toBe(reference.stderr);
    expect(r.code).toBe(reference.exitCode);
  }, minutes(3));
});

// The budget fixture on the m55 (bento-armv8m.toml: timer 0 is line 3 on both ARMv8-M boards):
// an SSE-300 system timer, and SysTick's core clock (32 MHz) other than the counter's (20 MHz).
// The m33 passes it too (its timer is the CMSDK timer of the m4 and m7, test/e2e/budget.test.ts),
// by hand: `bento build m33 --recipe bento-armv8m.toml`, then run it with --icount.
describe('CPU budgets on m55 (test/fixtures/boxes/budget, bento-armv8m.toml)', () => {
  it('abort endless loops with -8 within a tick of the budget, and end in a panic (exit 155)', async () => {
    const dir = join(projectRoot, budgetFixture);
    const built = await bento(['build', 'm55', '--recipe', 'bento-armv8m.toml'], dir);
    expect(built.code, built.stderr).toBe(0);
    const run = await bento(['run', 'm55', '--recipe', 'bento-armv8m.toml', '--icount', '--timeout', '120'], dir);
    expectBudgetRun(run, dir, 20_000); // 1 ms of the 20 MHz counter
  }, minutes(8)); // a build of five boxes and up to 120 s of emulation
});

// A few files of the official suite per board (the whole suite: `bento spec --board m33`).
const missing = specSuiteMissing();
describe.skipIf(missing !== undefined).each(boards)('bento spec on %s', (board) => {
  it('passes i32, f32, address and memory_trap', async () => {
    const r = await bento(['spec', '--board', board, '--suite', specSuite, 'i32.wast', 'f32.wast', 'address.wast', 'memory_trap.wast']);
    expect(r.stdout).toMatch(/^\d+ passed, 0 failed, \d+ skipped$/m);
    expect(r.code, r.stderr).toBe(0);
  }, minutes(5));
});
if (missing !== undefined) it.skip(`bento spec on the ARMv8-M boards: ${missing}`, () => {});
