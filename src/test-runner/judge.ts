import { describeExit, exitCodes } from '../run/exit-codes.js';
import { compileExpected, describeMismatch, matchLines, splitLines } from './expected-output.js';

/** What a case asks of a run. */
export interface Expectation {
  exitCode: number;
  /** The expected output's text, and its file for messages. */
  expected?: { file: string; text: string };
  timeoutSeconds: number;
}

/** What a run gave. */
export interface Outcome {
  exitCode: number;
  timedOut: boolean;
  output: string;
}

export interface Verdict {
  passed: boolean;
  /** Why it failed, one line. */
  reason?: string;
  /** The short diff of a mismatched output. */
  diff: string[];
}

const exitText = (code: number) => {
  const meaning = describeExit(code);
  return meaning ? `${code} (${meaning})` : `${code}`;
};

/** Judges a run by its exit code and, when the case has one, its expected output. */
export function judgeRun(want: Expectation, got: Outcome, board: string): Verdict {
  const reasons: string[] = [];
  if (got.timedOut && want.exitCode !== exitCodes.timeout) reasons.push(`timed out after ${want.timeoutSeconds} s`);
  else if (got.exitCode !== want.exitCode) reasons.push(`exit code ${exitText(got.exitCode)}, expected ${exitText(want.exitCode)}`);
  let diff: string[] = [];
  if (want.expected) {
    const expected = compileExpected(want.expected.text, board);
    const output = splitLines(got.output);
    const mismatch = matchLines(expected, output);
    if (mismatch) {
      const described = describeMismatch(expected, output, mismatch);
      reasons.push(described.summary);
      diff = described.diff;
    }
  }
  return reasons.length === 0 ? { passed: true, diff } : { passed: false, reason: reasons.join('; '), diff };
}
