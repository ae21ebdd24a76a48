import { fail } from '../../diagnostics/error.js';

/** Reads an option that must be a positive number of seconds. */
export function seconds(value: string | boolean | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(n) || n <= 0) fail('B9001', `--${name} must be a positive number of seconds, not '${value}'`);
  return n;
}

export function onlyPositional(positionals: string[], what: string, command: string): string {
  if (positionals.length !== 1) {
    fail('B9001', positionals.length === 0 ? `bento ${command} needs ${what}` : `bento ${command} takes one ${what}, got ${positionals.length}`, {
      hint: `see \`bento ${command} --help\``,
    });
  }
  return positionals[0]!;
}

/** Progress lines go to stderr so stdout stays the program's own output. */
export function progress(message: string): void {
  process.stderr.write(`  ${message}\n`);
}
