// The text bento spec prints: a line per script, one per failure, and the totals.
import type { ScriptResult, SpecSummary } from './run.js';

export function scriptLine(s: ScriptResult): string {
  return `${s.name}.wast: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`;
}

/** One line per failed command: `i32.wast:123: assert_return invoke "add" (...): expected ..., got ...`. */
export function failureLines(s: ScriptResult): string[] {
  return s.results.filter((r) => r.status === 'failed').map((r) => `  ${s.name}.wast:${r.line}: ${r.text}: ${r.detail ?? 'failed'}`);
}

export function totalsLine(summary: Pick<SpecSummary, 'passed' | 'failed' | 'skipped'>): string {
  return `${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`;
}
