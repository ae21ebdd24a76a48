import type { ErrorCode } from './codes.js';

/** Where a problem is: a file with line and column, or a byte offset in a binary. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
  /** Byte offset, for binary inputs such as .wasm modules. */
  offset?: number;
  /** Extra context printed after the location, e.g. "section code, function 3". */
  context?: string;
}

export interface Diagnostic {
  code: ErrorCode;
  message: string;
  location?: SourceLocation;
  hint?: string;
  /**
   * For a memory that does not fit (B2001, B3005): the bytes it needs and the bytes there are,
   * so that a tool can report it without reading the message (bento bench's "did not fit").
   */
  fit?: { needs: number; has: number };
}

/**
 * The one error type for everything a user can cause. It may carry several diagnostics,
 * because stages that check a lot (config, validation) report all they find at once.
 */
export class BentoError extends Error {
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: Diagnostic | readonly Diagnostic[], options?: { cause?: unknown }) {
    const list = Array.isArray(diagnostics) ? diagnostics : [diagnostics as Diagnostic];
    super(list.map((d) => d.message).join('; '), options);
    this.name = 'BentoError';
    this.diagnostics = list;
  }

  get code(): ErrorCode {
    return this.diagnostics[0]!.code;
  }
}

export function fail(code: ErrorCode, message: string, extra: Omit<Diagnostic, 'code' | 'message'> = {}): never {
  throw new BentoError({ code, message, ...extra });
}
