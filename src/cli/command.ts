import { parseArgs } from 'node:util';
import { fail } from '../diagnostics/error.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Shown in --help; a string option's value name goes in `value`. */
  description: string;
  value?: string;
  default?: string | boolean;
}

export interface Command {
  name: string;
  summary: string;
  /** e.g. "<board> [--recipe FILE]" */
  usage: string;
  /** A paragraph shown in --help after the usage line. */
  details?: string;
  options: Record<string, OptionSpec>;
  run(positionals: string[], options: Record<string, string | boolean | undefined>): Promise<number>;
}

export function commandHelp(cmd: Command): string {
  const lines = [`Usage: bento ${cmd.name} ${cmd.usage}`, '', cmd.summary];
  if (cmd.details) lines.push('', cmd.details);
  const entries = Object.entries({ ...cmd.options, help: { type: 'boolean', short: 'h', description: 'show this help' } as OptionSpec });
  lines.push('', 'Options:');
  const rows = entries.map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    const dflt = o.default !== undefined && o.default !== false ? ` (default: ${o.default})` : '';
    return [flag, `${o.description}${dflt}`] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length));
  for (const [flag, text] of rows) lines.push(`  ${flag.padEnd(width)}  ${text}`);
  return lines.join('\n');
}

/** Parses argv for one command; a bad flag is a located command-line error, not a stack trace. */
export function parseCommandArgs(cmd: Command, argv: string[]): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const spec = Object.fromEntries(
    Object.entries({ ...cmd.options, help: { type: 'boolean', short: 'h', description: '' } as OptionSpec }).map(([k, o]) => [
      k,
      { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.default !== undefined ? { default: o.default } : {}) },
    ]),
  );
  try {
    const { values, positionals } = parseArgs({ args: argv, options: spec as any, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (err) {
    fail('B9001', `bento ${cmd.name}: ${(err as Error).message}`, { hint: `see \`bento ${cmd.name} --help\`` });
  }
}
