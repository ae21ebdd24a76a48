import { BentoError } from '../diagnostics/error.js';
import type { Diagnostic } from '../diagnostics/error.js';
import { closest } from '../diagnostics/suggest.js';

/** A --filter pattern: `*` is any run of characters, `?` one; the whole name must match. */
export function globPattern(glob: string): RegExp {
  const source = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}

/**
 * The cases to run: those named (all when none are), narrowed by --filter. A name that is no
 * case, or a filter that leaves nothing, is a command-line error (with a did-you-mean).
 */
export function selectCases(all: readonly string[], named: readonly string[], filter?: string): string[] {
  const problems: Diagnostic[] = [];
  for (const name of named) {
    if (all.includes(name)) continue;
    const guess = closest(name, all);
    problems.push({ code: 'B9001', message: `no test case '${name}'`, hint: guess ? `did you mean '${guess}'?` : `the cases are: ${all.join(', ')}` });
  }
  if (problems.length > 0) throw new BentoError(problems);
  let chosen = named.length > 0 ? all.filter((n) => named.includes(n)) : [...all];
  if (filter !== undefined) {
    const pattern = globPattern(filter);
    chosen = chosen.filter((n) => pattern.test(n));
    if (chosen.length === 0) throw new BentoError({ code: 'B9001', message: `--filter '${filter}' matches no test case`, hint: `the cases are: ${all.join(', ')}` });
  }
  return chosen;
}
