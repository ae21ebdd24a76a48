import { describe, expect, it } from 'vitest';
import { escapeXml, renderJUnit } from '../../src/test-runner/junit.js';
import type { PairResult } from '../../src/test-runner/run.js';
import { junitCases } from '../support/junit.js';

const base = { caseFile: '/p/test/boot.toml', expectedExitCode: 0, details: [] as string[] };
const results: PairResult[] = [
  { ...base, case: 'boot', board: 'm4', status: 'passed', exitCode: 0, seconds: 1.25, output: 'ok\n' },
  { ...base, case: 'boot', board: 'm7', status: 'failed', reason: 'output differs at line 1 (expected line 1)', details: ['- ok', '+ <bad> & "worse"'], exitCode: 0, seconds: 2, output: '<bad> & "worse"\u0000\u001b[0m\n' },
  { ...base, case: 'small', caseFile: '/p/test/small.toml', board: 'lm3s6965', status: 'skipped', reason: 'does not fit: needs 80 KiB of RAM, lm3s6965 has 64 KiB', seconds: 0 },
];

describe('JUnit XML', () => {
  it('has a suite per case and a test case per board, with counts and times', () => {
    const xml = renderJUnit(results, 'proj', '/p');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="proj" tests="3" failures="1" errors="0" skipped="1" time="3.250">')).toBe(true);
    expect(xml).toContain('<testsuite name="boot" tests="2" failures="1" errors="0" skipped="0" time="3.250">');
    expect(xml).toContain('<testsuite name="small" tests="1" failures="0" errors="0" skipped="1" time="0.000">');
    expect(xml).toContain('<testcase classname="boot" name="m4" file="test/boot.toml" time="1.250"/>');
    expect(junitCases(xml).map((c) => [c.classname, c.name, c.status, c.time])).toEqual([
      ['boot', 'm4', 'passed', 1.25],
      ['boot', 'm7', 'failed', 2],
      ['small', 'lm3s6965', 'skipped', 0],
    ]);
  });

  it("puts a failure's reason in its message, the diff in its body and the UART output in system-out, escaped", () => {
    const [, failed, skipped] = junitCases(renderJUnit(results, 'proj', '/p'));
    expect(failed!.message).toBe('output differs at line 1 (expected line 1)');
    expect(failed!.failure).toBe('- ok\n+ <bad> & "worse"\nexit code 0');
    expect(failed!.systemOut).toBe('<bad> & "worse"\ufffd\ufffd[0m\n');
    expect(skipped!.message).toBe('does not fit: needs 80 KiB of RAM, lm3s6965 has 64 KiB');
  });

  it('escapes what XML 1.0 cannot hold', () => {
    expect(escapeXml('a<b>&"c"')).toBe('a&lt;b&gt;&amp;&quot;c&quot;');
    expect(escapeXml('\u0001\t\n\r\u001f\ud800x')).toBe('\ufffd\t\n\r\ufffd\ufffdx');
    expect(escapeXml('\ud83d\ude00')).toBe('\ud83d\ude00');
  });
});
