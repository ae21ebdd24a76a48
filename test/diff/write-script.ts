// V8's outcomes -> a script in wast2json's JSON form, which `bento spec` runs on the board: every
// V8 result becomes an assert_return (or assert_trap), followed by the log and memory hashes.
// Beside each command, what it checks, so a failure maps back to a module, an export and a check.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { WastAction, WastCommand } from '../../src/spec/script.js';
import type { WastValue } from '../../src/spec/values.js';
import type { Helpers } from './generate.js';
import type { ReferenceModule } from './reference.js';

export type Check = 'instantiate' | 'startup log' | 'startup memory' | 'reset' | 'result' | 'log' | 'memory';

export interface CommandNote {
  /** The module's id (`fuzz-12`). */
  module: string;
  check: Check;
  /** The export called, with its arguments. */
  call?: string;
}

export interface WrittenScript {
  name: string;
  json: string;
  notes: ReadonlyMap<number, CommandNote>;
  /** Export calls the script makes, and commands the judge counts (all but register). */
  calls: number;
  checks: number;
}

/** A command before it gets its line (Omit over each member of the union). */
type Unlined<C = WastCommand> = C extends unknown ? Omit<C, 'line'> : never;

function i64(bits: bigint): WastValue {
  return { type: 'i64', value: bits.toString() };
}

function invoke(module: string, field: string, args: readonly WastValue[] = []): WastAction {
  return { type: 'invoke', module, field, args };
}

function describeCall(field: string, args: readonly WastValue[]): string {
  return `${field}(${args.map((a) => `${a.type} ${a.value}`).join(', ')})`;
}

/** Writes `<dir>/<name>.json` with the modules beside it. */
export function writeScript(name: string, dir: string, modules: readonly ReferenceModule[], files: ReadonlyMap<string, string>, helpers: Helpers): WrittenScript {
  mkdirSync(dir, { recursive: true });
  for (const file of [helpers.logger, helpers.hasher, ...files.values()]) {
    const target = join(dir, basename(file));
    if (target !== file) copyFileSync(file, target);
  }
  const commands: WastCommand[] = [];
  const notes = new Map<number, CommandNote>();
  let calls = 0;
  let checks = 0;
  const add = (command: Unlined, note?: CommandNote) => {
    if (note) notes.set(commands.length, note);
    if (command.type !== 'register') checks++;
    commands.push({ ...command, line: commands.length + 1 } as WastCommand);
  };
  const take = (module: string, bits: bigint, check: Check, call?: string) =>
    add({ type: 'assert_return', action: invoke('$log', 'take'), expected: [i64(bits)] }, { module, check, call });

  add({ type: 'module', name: '$log', filename: basename(helpers.logger) });
  add({ type: 'register', name: '$log', as: 'fuzzing-support' });
  for (const m of modules) {
    if (m.kind === 'invalid') continue;
    const filename = basename(files.get(m.id)!);
    if (m.kind === 'uninstantiable') {
      add({ type: 'assert_uninstantiable', filename, text: m.text, module_type: 'binary' }, { module: m.id, check: 'instantiate' });
      take(m.id, m.log, 'startup log');
      continue;
    }
    const instance = `$${m.id}`;
    const hasher = `$hash-${m.id}`;
    add({ type: 'module', name: instance, filename }, { module: m.id, check: 'instantiate' });
    take(m.id, m.log, 'startup log');
    const memory = (bits: bigint | undefined, check: Check, call?: string) => {
      if (bits !== undefined) add({ type: 'assert_return', action: invoke(hasher, 'hash'), expected: [i64(bits)] }, { module: m.id, check, call });
    };
    if (m.memory !== undefined) {
      add({ type: 'register', name: instance, as: 'fuzz' });
      add({ type: 'module', name: hasher, filename: basename(helpers.hasher) }, { module: m.id, check: 'instantiate' });
      memory(m.memory, 'startup memory');
    }
    for (const c of m.calls) {
      const call = describeCall(c.field, c.args);
      if (m.resetField) add({ type: 'action', action: invoke(instance, m.resetField) }, { module: m.id, check: 'reset', call });
      const action = invoke(instance, c.field, c.args);
      const note: CommandNote = { module: m.id, check: 'result', call };
      if (c.outcome.kind === 'return') add({ type: 'assert_return', action, expected: c.outcome.values }, note);
      else if (c.outcome.kind === 'trap') add({ type: 'assert_trap', action, text: c.outcome.text }, note);
      else add({ type: 'action', action }, note);
      calls++;
      take(m.id, c.log, 'log', call);
      memory(c.memory, 'memory', call);
    }
  }
  const json = join(dir, `${name}.json`);
  writeFileSync(json, `${JSON.stringify({ source_filename: `${name}.json`, commands }, null, 1)}\n`);
  return { name, json, notes, calls, checks };
}
