// Validation reports every problem it finds, not just the first: each function body, and each
// module entry, is checked on its own and stops at its first problem.
import { BentoError, type Diagnostic } from '../../diagnostics/error.js';

/** Past this many problems the rest are counted, not listed. */
const MAX_LISTED = 20;

export function invalid(file: string, message: string, offset: number | undefined, context: string): never {
  throw new BentoError({ code: 'B3002', message, location: { file, offset, context } });
}

export class Problems {
  private readonly list: Diagnostic[] = [];
  private unlisted = 0;

  constructor(private readonly file: string) {}

  add(message: string, offset: number | undefined, context: string): void {
    this.record({ code: 'B3002', message, location: { file: this.file, offset, context } });
  }

  /** Runs a check that throws at its first problem, and records that problem. */
  check(run: () => void): void {
    try {
      run();
    } catch (error) {
      if (!(error instanceof BentoError)) throw error;
      for (const d of error.diagnostics) this.record(d);
    }
  }

  throwIfAny(): void {
    if (this.list.length === 0) return;
    const more: Diagnostic[] = this.unlisted > 0 ? [{ code: 'B3002', message: `and ${this.unlisted} more validation problems` }] : [];
    throw new BentoError([...this.list, ...more]);
  }

  private record(d: Diagnostic): void {
    if (this.list.length < MAX_LISTED) this.list.push(d);
    else this.unlisted++;
  }
}
