// The linear memory's reservation of `bento compile` (--memory): the default, and what is refused.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryReserve } from '../../src/compile/standalone.js';
import { decodeModule } from '../../src/wasm/decode.js';
import { refusal } from '../support/diagnostics.js';

const work = mkdtempSync(join(tmpdir(), 'bento-standalone-'));

function module(memory: string) {
  const name = memory.replace(/[^0-9a-z]+/g, '_') || 'none';
  writeFileSync(join(work, `${name}.wat`), `(module ${memory})`);
  execFileSync('wat2wasm', [join(work, `${name}.wat`), '-o', join(work, `${name}.wasm`)]);
  return decodeModule(readFileSync(join(work, `${name}.wasm`)), join(work, `${name}.wasm`));
}

const KiB = 1024;
const ram = 4096 * KiB;

describe('memoryReserve', () => {
  it.each([
    ['the declared maximum by default', '(memory 1 4)', undefined, 256 * KiB],
    ['the initial size without a maximum', '(memory 2)', undefined, 128 * KiB],
    ["never more than the board's RAM", '(memory 1 65536)', undefined, ram],
    ['--memory when given, past the maximum too', '(memory 1 2)', 192 * KiB, 192 * KiB],
    ['--memory equal to the initial memory', '(memory 3)', 192 * KiB, 192 * KiB],
    ['nothing without a memory', '', undefined, 0],
  ])('takes %s', (_, memory, requested, expected) => {
    expect(memoryReserve(module(memory), requested, ram)).toBe(expected);
  });

  it.each([
    ['below the initial memory', '(memory 2 4)', 64 * KiB, 'B3005'],
    ["past the board's RAM", '(memory 1)', 8192 * KiB, 'B3005'],
    ['not whole pages', '(memory 1)', 100 * KiB, 'B9001'],
  ])('refuses --memory %s', (_, memory, requested, code) => {
    expect(refusal(() => memoryReserve(module(memory), requested, ram)).map((d) => d.code)).toEqual([code]);
  });
});
