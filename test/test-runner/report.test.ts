import { describe, expect, it } from 'vitest';
import { jsonReport, resultLines, totals, totalsLine } from '../../src/test-runner/report.js';
import type { PairResult } from '../../src/test-runner/run.js';

const base = { caseFile: '/p/test/boot.toml', expectedExitCode: 0, details: [] as string[] };
const passed: PairResult = { ...base, case: 'boot', board: 'm4', status: 'passed', exitCode: 0, seconds: 1.234, buildSeconds: 3, output: 'ok\n', log: '/p/build/test/boot/m4.uart.log' };
const failed: PairResult = { ...base, case: 'boot', board: 'm7', status: 'failed', reason: 'exit code 1, expected 0', details: ['  ok', '- a', '+ b'], exitCode: 1, seconds: 0.5, log: '/p/build/test/boot/m7.uart.log' };
const buildFailed: PairResult = { ...base, case: 'boot', board: 'm33', status: 'failed', reason: 'build failed', details: ['main.c:3:1: error[B5002]: x\n  hint: y'], seconds: 0 };
const skipped: PairResult = { ...base, case: 'boot', board: 'nucleo-f446re', status: 'skipped', reason: 'built; QEMU cannot emulate nucleo-f446re', seconds: 0 };

describe('the report', () => {
  it('gives a line per pair, a failure its details and log indented', () => {
    expect(resultLines(passed, '/p')).toEqual(['PASS boot on m4 (1.2 s)']);
    expect(resultLines(failed, '/p')).toEqual(['FAIL boot on m7 (0.5 s): exit code 1, expected 0', '      ok', '    - a', '    + b', '    UART log: build/test/boot/m7.uart.log']);
    expect(resultLines(buildFailed, '/p')).toEqual(['FAIL boot on m33: build failed', '    main.c:3:1: error[B5002]: x', '      hint: y']);
    expect(resultLines(skipped, '/p')).toEqual(['SKIP boot on nucleo-f446re: built; QEMU cannot emulate nucleo-f446re']);
  });

  it('counts passed, failed and skipped', () => {
    const t = totals([passed, failed, buildFailed, skipped]);
    expect(t).toEqual({ passed: 1, failed: 2, skipped: 1 });
    expect(totalsLine(t)).toBe('1 passed, 2 failed, 1 skipped');
  });

  it('gives machines the totals and every pair', () => {
    const report = JSON.parse(JSON.stringify(jsonReport([passed, skipped], 4.56789))) as any;
    expect(report).toEqual({
      passed: 1,
      failed: 0,
      skipped: 1,
      seconds: 4.568,
      results: [
        { case: 'boot', caseFile: '/p/test/boot.toml', board: 'm4', status: 'passed', expectedExitCode: 0, exitCode: 0, seconds: 1.234, buildSeconds: 3, output: 'ok\n', log: '/p/build/test/boot/m4.uart.log' },
        { case: 'boot', caseFile: '/p/test/boot.toml', board: 'nucleo-f446re', status: 'skipped', reason: 'built; QEMU cannot emulate nucleo-f446re', expectedExitCode: 0, seconds: 0 },
      ],
    });
  });
});
