import { relative } from 'node:path';
import type { PairResult } from './run.js';

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

export function totals(results: readonly PairResult[]): Totals {
  const count = (status: PairResult['status']) => results.filter((r) => r.status === status).length;
  return { passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
}

/** The closing line, as `bento spec` has it: "3 passed, 1 failed, 0 skipped". */
export function totalsLine(t: Totals): string {
  return `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`;
}

const label = { passed: 'PASS', failed: 'FAIL', skipped: 'SKIP' } as const;

/**
 * A pair's lines: `PASS hello on m4 (1.2 s)`, or FAIL / SKIP with the reason, then a failure's
 * details (diff or diagnostics) and where its UART log is, indented.
 */
export function resultLines(r: PairResult, cwd = process.cwd()): string[] {
  const time = r.status === 'skipped' || r.exitCode === undefined ? '' : ` (${r.seconds.toFixed(1)} s)`;
  const head = `${label[r.status]} ${r.case} on ${r.board}${time}${r.reason ? `: ${r.reason}` : ''}`;
  if (r.status !== 'failed') return [head];
  const details = r.details.flatMap((d) => d.split('\n')).map((l) => `    ${l}`);
  const log = r.log && r.exitCode !== undefined ? [`    UART log: ${relative(cwd, r.log)}`] : [];
  return [head, ...details, ...log];
}

/** The whole run for machines (--json): the totals and every pair, in case and board order. */
export function jsonReport(results: readonly PairResult[], seconds: number): object {
  return {
    ...totals(results),
    seconds: Number(seconds.toFixed(3)),
    results: results.map((r) => ({
      case: r.case,
      caseFile: r.caseFile,
      board: r.board,
      status: r.status,
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
      ...(r.details.length > 0 ? { details: r.details } : {}),
      expectedExitCode: r.expectedExitCode,
      ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}),
      seconds: Number(r.seconds.toFixed(3)),
      ...(r.buildSeconds !== undefined ? { buildSeconds: Number(r.buildSeconds.toFixed(3)) } : {}),
      ...(r.output !== undefined ? { output: r.output } : {}),
      ...(r.log !== undefined ? { log: r.log } : {}),
    })),
  };
}
