import { fail } from '../diagnostics/error.js';
import { closest } from '../diagnostics/suggest.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Shown in --help; a string option's value name goes in `value`. */
  description: string;
  value?: string;
  default?: string | boolean;
  /** The values a string option accepts; anything else is refused with a did-you-mean. */
  choices?: readonly string[];
  /** Another option this one means nothing without (`--with-app` needs `--bootloader`). */
  needs?: string;
}

export type OptionValues = Record<string, string | boolean | undefined>;

export interface Command {
  name: string;
  summary: string;
  /** e.g. "<board> [--recipe FILE]" */
  usage: string;
  /** A paragraph shown in --help after the usage line. */
  details?: string;
  options: Record<string, OptionSpec>;
  /** What the positionals are, for shell completion: boards (project commands), files (the default) or nothing. */
  positionals?: 'boards' | 'files' | 'none';
  run(positionals: string[], options: OptionValues): Promise<number>;
}

/** Options every command takes; main.ts acts on them before the command runs. */
export const globalOptions: Record<string, OptionSpec> = {
  verbose: { type: 'boolean', short: 'v', description: 'say more: every step, and the command line of every tool bento runs' },
  quiet: { type: 'boolean', short: 'q', description: 'say nothing but errors and warnings (and what the command is for)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

function allOptions(cmd: Command): Record<string, OptionSpec> {
  return { ...cmd.options, ...globalOptions };
}

export function commandHelp(cmd: Command): string {
  const lines = [`Usage: bento ${cmd.name} ${cmd.usage}`, '', cmd.summary];
  if (cmd.details) lines.push('', cmd.details);
  lines.push('', 'Options:');
  const rows = Object.entries(allOptions(cmd)).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    const dflt = o.default !== undefined && o.default !== false ? ` (default: ${o.default})` : '';
    const choices = o.choices ? ` [${o.choices.join(', ')}]` : '';
    const needs = o.needs ? ` (with --${o.needs})` : '';
    return [flag, `${o.description}${choices}${dflt}${needs}`] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length));
  for (const [flag, text] of rows) lines.push(`  ${flag.padEnd(width)}  ${text}`);
  return lines.join('\n');
}

/**
 * Parses argv for one command. Every mistake is bento's own B9001 with a hint (a did-you-mean for
 * a misspelt option or value), never the argument parser's text: `--name value`, `--name=value`,
 * `-n value`, `-nvalue`, bundled short flags (`-vq`), and `--` before positionals that start with '-'.
 */
export function parseCommandArgs(cmd: Command, argv: readonly string[]): { values: OptionValues; positionals: string[] } {
  const specs = allOptions(cmd);
  const byShort = new Map(Object.entries(specs).flatMap(([name, o]) => (o.short ? [[o.short, name] as const] : [])));
  const values: OptionValues = {};
  const positionals: string[] = [];
  const seeHelp = `see \`bento ${cmd.name} --help\``;
  const unknown = (shown: string, name: string, names: Iterable<string>, prefix: string): never => {
    // One letter is one edit from every other: no guess for short flags.
    const guess = name.length > 1 ? closest(name, names) : undefined;
    fail('B9001', `bento ${cmd.name}: unknown option '${shown}'`, { hint: guess ? `did you mean '${prefix}${guess}'? (${seeHelp})` : seeHelp });
  };
  const set = (name: string, shown: string, inline: string | undefined, next: () => string | undefined) => {
    const spec = specs[name]!;
    if (spec.type === 'boolean') {
      if (inline !== undefined) fail('B9001', `bento ${cmd.name}: ${shown} takes no value (got '${inline}')`, { hint: seeHelp });
      values[name] = true;
      return;
    }
    const value = inline ?? next();
    if (value === undefined) fail('B9001', `bento ${cmd.name}: ${shown} needs a value (${spec.value ?? 'VALUE'})`, { hint: seeHelp });
    values[name] = value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = () => (i + 1 < argv.length ? argv[++i] : undefined);
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const inline = eq < 0 ? undefined : arg.slice(eq + 1);
      if (!(name in specs)) unknown(`--${name}`, name, Object.keys(specs), '--');
      set(name, `--${name}`, inline, next);
    } else if (arg.startsWith('-') && arg.length > 1) {
      // -vq: flags bundled; -rFILE or -r FILE: a value.
      for (let k = 1; k < arg.length; k++) {
        const name = byShort.get(arg[k]!) ?? unknown(`-${arg[k]}`, arg[k]!, byShort.keys(), '-');
        if (specs[name]!.type === 'string') {
          const rest = arg.slice(k + 1).replace(/^=/, '');
          set(name, `-${arg[k]}`, rest === '' ? undefined : rest, next);
          break;
        }
        set(name, `-${arg[k]}`, undefined, next);
      }
    } else {
      positionals.push(arg);
    }
  }
  const given = new Set(Object.keys(values));
  for (const [name, spec] of Object.entries(specs)) if (values[name] === undefined && spec.default !== undefined) values[name] = spec.default;
  for (const name of given) {
    const spec = specs[name]!;
    const value = values[name];
    if (spec.choices && typeof value === 'string' && !spec.choices.includes(value)) {
      const guess = closest(value, spec.choices);
      fail('B9001', `bento ${cmd.name}: --${name} must be ${spec.choices.join(', ').replace(/, ([^,]*)$/, ' or $1')}, not '${value}'`, { hint: guess ? `did you mean '${guess}'?` : seeHelp });
    }
    if (spec.needs && values[spec.needs] === undefined) {
      fail('B9001', `bento ${cmd.name}: --${name} needs --${spec.needs}`, { hint: seeHelp });
    }
  }
  if (values.verbose && values.quiet) fail('B9001', `bento ${cmd.name}: --verbose and --quiet contradict each other`, { hint: 'give one of them' });
  return { values, positionals };
}
