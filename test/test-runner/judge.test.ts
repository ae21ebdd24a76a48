import { describe, expect, it } from 'vitest';
import { judgeRun } from '../../src/test-runner/judge.js';

const expected = { file: 'test/x.expected', text: 'on {board}\nsum {num}\n' };

describe('judging a run', () => {
  it('passes a run with the expected exit code and output', () => {
    expect(judgeRun({ exitCode: 0, expected, timeoutSeconds: 60 }, { exitCode: 0, timedOut: false, output: 'on m4\nsum 55\n' }, 'm4')).toEqual({ passed: true, diff: [] });
  });

  it('passes on the exit code alone when the case has no expected output', () => {
    expect(judgeRun({ exitCode: 152, timeoutSeconds: 60 }, { exitCode: 152, timedOut: false, output: 'anything' }, 'm4').passed).toBe(true);
  });

  it("fails a wrong exit code, naming what the codes mean", () => {
    const v = judgeRun({ exitCode: 0, timeoutSeconds: 60 }, { exitCode: 152, timedOut: false, output: '' }, 'm4');
    expect(v).toEqual({ passed: false, reason: 'exit code 152 (BusFault), expected 0', diff: [] });
  });

  it('fails a timeout as a timeout, unless the case expects 124', () => {
    expect(judgeRun({ exitCode: 0, timeoutSeconds: 5 }, { exitCode: 124, timedOut: true, output: '' }, 'm4').reason).toBe('timed out after 5 s');
    expect(judgeRun({ exitCode: 124, timeoutSeconds: 5 }, { exitCode: 124, timedOut: true, output: '' }, 'm4').passed).toBe(true);
  });

  it('fails a different output with a short diff, and reports both when both differ', () => {
    const v = judgeRun({ exitCode: 0, expected, timeoutSeconds: 60 }, { exitCode: 1, timedOut: false, output: 'on m7\nsum 55\n' }, 'm4');
    expect(v).toEqual({ passed: false, reason: 'exit code 1, expected 0; output differs at line 1 (expected line 1)', diff: ['- on {board}', '- sum {num}', '+ on m7', '+ sum 55'] });
  });
});
