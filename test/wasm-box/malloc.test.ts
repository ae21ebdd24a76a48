// The allocator bento links into C built to a Wasm box (runtime-c/wasm-box/malloc.c), compiled
// with clang for wasm32 over a 4 KiB heap and run in Node's WASI: what a box's malloc promises
// once its memory is sized to its heap (test/e2e/small-memory.test.ts runs it in boxes on QEMU).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/cli.js';
import { runInNode } from '../wasi/node-reference.js';
import { decodeModule } from '../../src/wasm/decode.js';

describe('a Wasm box\'s malloc over a 4 KiB heap', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'bento-malloc-')), 'malloc.wasm');
  execFileSync('clang-14', ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-DBENTO_BOX_HEAP=4096u', '-I', join(projectRoot, 'runtime-c/include'), join(projectRoot, 'test/wasm-box/malloc-driver.c'), join(projectRoot, 'runtime-c/wasm-box/malloc.c'), '-o', out]);

  it('hands out aligned blocks inside the heap, returns NULL with ENOMEM when it is full, merges what is freed, and moves or keeps what realloc resizes', async () => {
    const r = await runInNode(out);
    expect(r.stdout).toBe(
      [
        'blocks 36 intact 36 in-heap 36 aligned 1 errno-enomem 1',
        'after free: 4000 bytes yes, 5000 bytes no',
        'realloc: bento box heap, moved 1',
        'shrunk in place 1: bento box',
        'memalign: 0 0 aligned 1 1 1',
        'calloc zeroed 1, overflow no',
        'everything freed: 3900 bytes yes',
        '',
      ].join('\n'),
    );
    expect(r.exitCode).toBe(0);
  });

  it('replaces wasi-libc\'s dlmalloc, so nothing in the module grows the memory', () => {
    const wasm = decodeModule(readFileSync(out), out);
    expect(wasm.codes.flatMap((c) => c.body).filter((i) => i.op === 'memory.grow')).toEqual([]);
  });
});
