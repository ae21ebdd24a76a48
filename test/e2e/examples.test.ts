// Every box example through `bento test`, as a user runs it: each example's test/<example>.toml
// names the boards (the MPS2 and ARMv8-M ones; mixed and sampling the MPS2 ones; small-part the
// small parts and the m55) and test/<example>.expected the UART output. One `bento test` per
// example, its cases built once a board and run in parallel; the summary line and the JUnit
// file must show every pair passed. examples/mixed on m33 and m55 is in armv8m.test.ts, with its
// 32-byte plan; the STM32F405 and LM3S6965 run more of them in boards.test.ts.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bento, projectRoot } from '../support/cli.js';
import { junitCases } from '../support/junit.js';

const boardsFor: Record<string, readonly string[]> = {
  hello: ['m4', 'm7', 'm33', 'm55'],
  qsort: ['m4', 'm7', 'm33', 'm55'],
  mandelbrot: ['m4', 'm7', 'm33', 'm55'],
  badbox: ['m4', 'm7', 'm33', 'm55'],
  // sampling drives the CMSDK timer of the MPS2 boards.
  mixed: ['m4', 'm7'],
  sampling: ['m4', 'm7'],
  // Three littlefs volumes (one box with instances) on RAM block devices the host owns; a PMSAv7,
  // a PMSAv8 and a flash-resident part (the m7 and m55 by hand: `bento test --board m7,m55`).
  littlefs: ['m4', 'm33', 'stm32f405'],
  // cJSON in a box beside a littlefs box: a hostile document crashes the parser, nothing else.
  json: ['m4', 'm33', 'stm32f405'],
  // Three Wasm boxes and the host in the LM3S6965's 64 KiB, on a PMSAv7 and a PMSAv8 board too.
  'small-part': ['lm3s6965', 'stm32f405', 'm55'],
};

/** Other cases of an example, as `<case> <board>`: littlefs's volumes as native boxes. */
const extraCases: Record<string, readonly string[]> = {
  littlefs: ['native m4'],
};

const work = mkdtempSync(join(tmpdir(), 'bento-examples-'));

describe.each(Object.keys(boardsFor))('example %s', (example) => {
  it('passes bento test on each of its boards, with the JUnit report to show it', async () => {
    const junit = join(work, `${example}.xml`);
    const r = await bento(['test', '--junit', junit, '--timeout', '120'], join(projectRoot, 'examples', example));
    const boards = boardsFor[example]!;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const board of boards) expect(r.stdout).toMatch(new RegExp(`^PASS ${example} on ${board} \\(\\d+\\.\\d s\\)$`, 'm'));
    const extra = extraCases[example] ?? [];
    const total = boards.length + extra.length;
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`${total} passed, 0 failed, 0 skipped`);
    const report = junitCases(readFileSync(junit, 'utf8'));
    expect(report.map((c) => `${c.classname} ${c.name} ${c.status}`).sort()).toEqual([...boards.map((b) => `${example} ${b} passed`), ...extra.map((e) => `${e} passed`)].sort());
  }, 900_000);
});
