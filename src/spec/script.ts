// A .wast script as wast2json writes it: a JSON list of commands beside one .wasm (or .wat) per
// module. wast2json runs once per script content; its output is kept in a cache folder.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fail } from '../diagnostics/error.js';
import { runTool } from '../toolchain/exec.js';
import type { WastValue } from './values.js';

export interface WastAction {
  type: 'invoke' | 'get';
  /** A module name ("$M"), or undefined for the latest module. */
  module?: string;
  field: string;
  args?: readonly WastValue[];
}

/** The commands of the Wasm 2.0 suite (wabt 1.0.32 writes `assert_trap` on modules as assert_uninstantiable). */
export type WastCommand =
  | { type: 'module'; line: number; name?: string; filename: string }
  | { type: 'register'; line: number; name?: string; as: string }
  | { type: 'action'; line: number; action: WastAction; expected?: readonly WastValue[] }
  | { type: 'assert_return'; line: number; action: WastAction; expected: readonly WastValue[] }
  | { type: 'assert_trap'; line: number; action?: WastAction; filename?: string; text: string; expected?: readonly WastValue[] }
  | { type: 'assert_exhaustion'; line: number; action: WastAction; text: string; expected?: readonly WastValue[] }
  | { type: 'assert_invalid' | 'assert_malformed'; line: number; filename: string; text: string; module_type: 'binary' | 'text' }
  | { type: 'assert_unlinkable' | 'assert_uninstantiable'; line: number; filename: string; text: string; module_type: 'binary' | 'text' };

export interface WastScript {
  /** The script's name without .wast: "i32". */
  name: string;
  wast: string;
  /** Where wast2json put the JSON and the modules. */
  dir: string;
  commands: readonly WastCommand[];
}

/** Bump when the cached conversion must be redone. */
const cacheVersion = '1';

/**
 * Converts a .wast file with wast2json into `<cacheRoot>/<name>/`, unless that folder already
 * holds the conversion of the same content, and reads the commands. A `.json` file is taken as
 * wast2json's output already (its modules beside it), as generated scripts are written.
 */
export async function loadScript(wast: string, cacheRoot: string): Promise<WastScript> {
  if (wast.endsWith('.json')) return readConvertedScript(wast);
  const name = basename(wast).replace(/\.wast$/, '');
  let source: Buffer;
  try {
    source = readFileSync(wast);
  } catch (err) {
    fail('B1007', `cannot read ${wast}: ${(err as NodeJS.ErrnoException).code}`);
  }
  const dir = join(cacheRoot, name);
  const json = join(dir, `${name}.json`);
  const stampFile = join(dir, 'source.sha256');
  const stamp = `${cacheVersion} ${createHash('sha256').update(source).digest('hex')}`;
  if (!existsSync(json) || !existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    await runTool('wast2json', [wast, '-o', json], { doing: `converting ${wast}`, failCode: 'B5004' });
    writeFileSync(stampFile, stamp);
  }
  const parsed = JSON.parse(readFileSync(json, 'utf8')) as { commands: WastCommand[] };
  return { name, wast, dir, commands: parsed.commands };
}

/** A script in wast2json's JSON form, with its modules in the same folder. */
function readConvertedScript(json: string): WastScript {
  let text: string;
  try {
    text = readFileSync(json, 'utf8');
  } catch (err) {
    fail('B1007', `cannot read ${json}: ${(err as NodeJS.ErrnoException).code}`);
  }
  const parsed = JSON.parse(text) as { source_filename?: string; commands: WastCommand[] };
  return { name: basename(json).replace(/\.json$/, ''), wast: parsed.source_filename ?? json, dir: dirname(json), commands: parsed.commands };
}
