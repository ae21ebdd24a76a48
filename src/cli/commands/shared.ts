import { fail } from '../../diagnostics/error.js';

export { progress } from '../output.js';

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

/** A comma-separated list option (`--board m4,m7`); empty entries are dropped. */
export function listOption(value: string | boolean | undefined): string[] {
  return typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

/**
 * The boards a project command acts on, passed the same way in every command: as positionals
 * (`bento build m4 m7`) or with --board (`--board m4,m7`, `-b m4`), not both.
 */
export function boardArguments(positionals: string[], options: Record<string, string | boolean | undefined>, command: string, one = false): string[] {
  const fromOption = listOption(options.board);
  if (fromOption.length > 0 && positionals.length > 0) {
    fail('B9001', `bento ${command}: give the board as an argument or with --board, not both`, { hint: `e.g. \`bento ${command} ${positionals[0]}\`` });
  }
  const boards = fromOption.length > 0 ? fromOption : positionals;
  if (boards.length === 0) fail('B9001', `bento ${command} needs a board`, { hint: `e.g. \`bento ${command} m4\`; \`bento boards\` lists them` });
  if (one && boards.length > 1) fail('B9001', `bento ${command} takes one board, got ${boards.length} (${boards.join(', ')})`, { hint: `see \`bento ${command} --help\`` });
  return boards;
}

/** The --board option of project commands. */
export const boardOption = { type: 'string' as const, short: 'b', value: 'BOARDS', description: 'board files or names, comma-separated (the same as giving them as arguments)' };
