// Builds test modules from the text format with wabt's wat2wasm (Debian package wabt).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let dir: string | undefined;
let serial = 0;

export interface WatOptions {
  /** Keep wat2wasm's own validation off, to build invalid modules. */
  noCheck?: boolean;
  /** Write a "name" section. */
  debugNames?: boolean;
}

export function wat(text: string, options: WatOptions = {}): Uint8Array {
  dir ??= mkdtempSync(join(tmpdir(), 'bento-wat-'));
  const n = serial++;
  const input = join(dir, `m${n}.wat`);
  const output = join(dir, `m${n}.wasm`);
  writeFileSync(input, text);
  const flags = [...(options.noCheck ? ['--no-check'] : []), ...(options.debugNames ? ['--debug-names'] : [])];
  execFileSync('wat2wasm', [input, '-o', output, ...flags], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Uint8Array(readFileSync(output));
}
