// `bento test` itself, on test/fixtures/test-runner/project on the m4: a case that passes, one
// whose output differs, one whose exit code differs, and one of its own recipe whose output
// needs placeholders ({board}, {hex}, {num}, {*} and a {...} line).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bento, projectRoot } from '../support/cli.js';
import { junitCases } from '../support/junit.js';

const dir = join(projectRoot, 'test/fixtures/test-runner/project');
const work = mkdtempSync(join(tmpdir(), 'bento-test-command-'));

describe('bento test', () => {
  it('runs every case, says why each failure failed, sums up, exits 1 and writes JUnit XML', async () => {
    const junit = join(work, 'reports', 'junit.xml');
    const r = await bento(['test', '--junit', junit, '-j', '2'], dir);
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('2 passed, 2 failed, 0 skipped');
    expect(lines).toContainEqual(expect.stringMatching(/^PASS greets on m4 \(\d+\.\d s\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^PASS placeholders on m4 \(\d+\.\d s\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^FAIL wrong-exit on m4 \(\d+\.\d s\): exit code 0, expected 3$/));
    // The short diff under the failure: a line of context, what was expected, what came.
    const at = lines.findIndex((l) => /^FAIL wrong-output on m4 \(\d+\.\d s\): output differs at line 2 \(expected line 2\)$/.test(l));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines.slice(at + 1, at + 5)).toEqual(['      fixture on m4', '    - sum 1..10 = 56', '    + sum 1..10 = 55', '    UART log: build/test/wrong-output/m4.uart.log']);
    expect(readFileSync(join(dir, 'build/test/wrong-output/m4.uart.log'), 'utf8')).toBe('fixture on m4\nsum 1..10 = 55\n');

    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="project" tests="4" failures="2" errors="0" skipped="0" time="[\d.]+">/);
    const cases = junitCases(xml);
    expect(cases.map((c) => `${c.classname} ${c.name} ${c.status}`)).toEqual(['greets m4 passed', 'placeholders m4 passed', 'wrong-exit m4 failed', 'wrong-output m4 failed']);
    const byName = Object.fromEntries(cases.map((c) => [c.classname, c]));
    expect(byName['wrong-exit']!.message).toBe('exit code 0, expected 3');
    expect(byName['wrong-output']!.message).toBe('output differs at line 2 (expected line 2)');
    expect(byName['wrong-output']!.failure).toBe('  fixture on m4\n- sum 1..10 = 56\n+ sum 1..10 = 55\nexit code 0');
    expect(byName['wrong-output']!.systemOut).toBe('fixture on m4\nsum 1..10 = 55\n');
    for (const c of cases) expect(c.time).toBeGreaterThan(0);
  }, 600_000);

  it('prints the results as JSON with --json, for the cases named', async () => {
    const r = await bento(['test', 'wrong-exit', 'placeholders', '--json'], dir);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ passed: 1, failed: 1, skipped: 0 });
    expect(report.results.map((x: any) => [x.case, x.board, x.status, x.exitCode, x.expectedExitCode])).toEqual([
      ['placeholders', 'm4', 'passed', 0, 0],
      ['wrong-exit', 'm4', 'failed', 0, 3],
    ]);
    expect(report.results[1].reason).toBe('exit code 0, expected 3');
    // The placeholders matched real output: an address, a negative number, a compiler version.
    expect(report.results[0].output).toMatch(/^varying on m4\nmain is at 0x[0-9a-f]{8}, a local at 0x[0-9a-f]+\na negative number: -\d+\ncompiled by clang 14\./);
  }, 300_000);

  it('runs a filtered case on the boards --board names, skipping a board QEMU cannot emulate once it builds, and one too small for it', async () => {
    const junit = join(work, 'skip.xml');
    const r = await bento(['test', '--filter', 'gr*', '--board', 'm4,nucleo-f446re,lm3s6965', '--junit', junit], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASS greets on m4 \(\d+\.\d s\)$/m);
    expect(r.stdout).toMatch(/^SKIP greets on nucleo-f446re: built; QEMU cannot emulate nucleo-f446re$/m);
    // The host's 64 KiB heap and 8 KiB stack do not fit the LM3S6965's 64 KiB: the build says so with the numbers.
    expect(r.stdout).toMatch(/^SKIP greets on lm3s6965: does not fit: needs \d+ KiB of RAM, lm3s6965 has 64 KiB$/m);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 0 failed, 2 skipped');
    const cases = junitCases(readFileSync(junit, 'utf8'));
    expect(cases.map((c) => `${c.name} ${c.status}`)).toEqual(['m4 passed', 'nucleo-f446re skipped', 'lm3s6965 skipped']);
    expect(cases[1]!.message).toBe('built; QEMU cannot emulate nucleo-f446re');
    expect(cases[2]!.message).toMatch(/^does not fit: needs \d+ KiB of RAM, lm3s6965 has 64 KiB$/);
  }, 300_000);

  it('refuses a case that does not exist with exit 2 and a did-you-mean, running nothing', async () => {
    const r = await bento(['test', 'greet'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error[B9001]: no test case 'greet'\n  hint: did you mean 'greets'?");
    expect(r.stdout).toBe('');
  });
});
