// Linear memories sized to the box (issue 14): modules declaring one-byte pages (the
// custom-page-sizes proposal, written `(pagesize 1)` in .wat) run with their exact memory, and
// C boxes get memories of their shadow stack, data and heap. Node has no custom page sizes, so
// the programs check memory.size and memory.grow themselves and say through their exit code.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bento, projectRoot } from '../support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'bento-small-memory-'));

/** A WASI program over a memory of one-byte pages, min `min`, max `max`; exit codes 1..5 say which check failed. */
function program(name: string, min: number, max: number, end: string): string {
  const file = join(work, `${name}.wat`);
  writeFileSync(
    file,
    `(module
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") ${min} ${max} (pagesize 1))
      (func (export "_start")
        (if (i32.ne (memory.size) (i32.const ${min})) (then (call $exit (i32.const 1))))
        (if (i32.ne (memory.grow (i32.const ${max - min})) (i32.const ${min})) (then (call $exit (i32.const 2))))
        (if (i32.ne (memory.grow (i32.const 1)) (i32.const -1)) (then (call $exit (i32.const 3))))
        (i32.store (i32.const ${max - 4}) (i32.const 5))
        (if (i32.ne (i32.load (i32.const ${max - 4})) (i32.const 5)) (then (call $exit (i32.const 4))))
        ${end}))`,
  );
  return file;
}

describe('one-byte pages', () => {
  it.each([
    ['m4', 'software'],
    ['m33', 'software'],
  ])('on %s with %s bounds: memory.size and memory.grow count bytes, and the first byte past the memory traps', async (board, bounds) => {
    const file = program(`exact-${board}`, 100, 150, '(call $exit (i32.load8_u (i32.const 150)))');
    const r = await bento(['run-wasm', file, '--board', board, '--bounds', bounds, '--out-dir', join(work, `exact-${board}`)]);
    expect(r.stderr).toMatch(/^trap: out of bounds memory access$/m);
    expect(r.code).toBe(134);
  });

  it.each(['m4', 'm33'])('on %s with mpu bounds: an access spilling past a 128-byte memory faults in the MPU', async (board) => {
    const file = program(`mpu-${board}`, 96, 128, '(call $exit (i32.add (i32.const 9) (i32.load (i32.const 126))))');
    const r = await bento(['run-wasm', file, '--board', board, '--bounds', 'mpu', '--out-dir', join(work, `mpu-${board}`)]);
    expect(r.stderr).toMatch(/^trap: memory fault \(MPU\)$/m);
    expect(r.code).toBe(134);
  });

  it('refuses a page size that is no power of two, at the annotation', async () => {
    const file = join(work, 'bad.wat');
    writeFileSync(file, '(module\n  (memory 1 (pagesize 3)))\n');
    const r = await bento(['run-wasm', file, '--board', 'm4']);
    expect(r.stderr).toContain(`${file}:2:13: error[B3001]: invalid custom page size 3: a power of two (1 or 65536)`);
    expect(r.code).toBe(1);
  });
});

describe('C boxes sized to what they use', () => {
  it('gives each of small-part\'s three boxes a few KiB on lm3s6965, not a 64 KiB page', async () => {
    const r = await bento(['plan', 'lm3s6965'], join(projectRoot, 'examples/small-part'));
    expect(r.code, r.stderr).toBe(0);
    const memories = [...r.stdout.matchAll(/^ {2}box (\w+) linear memory +0x[0-9a-f]+\.\.0x[0-9a-f]+ +([\d.]+) KiB$/gm)].map((m) => [m[1], Number(m[2])]);
    expect(memories.map(([name]) => name)).toEqual(['alarm', 'filter', 'parse']);
    // A 2 KiB shadow stack, a little data, and alarm's 384-byte heap, in eighths of 4 KiB.
    for (const [, kib] of memories) expect(kib).toBeLessThanOrEqual(3);
  });
});
