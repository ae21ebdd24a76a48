import { BentoError } from '../../src/diagnostics/error.js';
import type { Diagnostic } from '../../src/diagnostics/error.js';

/** The diagnostics of the BentoError `work` throws; a test fails when it throws none. */
export function refusal(work: () => unknown): readonly Diagnostic[] {
  try {
    work();
  } catch (err) {
    if (err instanceof BentoError) return err.diagnostics;
    throw err;
  }
  throw new Error('expected a BentoError');
}
