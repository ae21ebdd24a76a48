import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { buildImage } from '../../src/build/image.js';
import { wasmRuntimeSources } from '../../src/build/wasm-program.js';
import { compileWasm, readWasm } from '../../src/compile/wasm.js';
import { loadBoard } from '../../src/config/board.js';
import { resolveWasiImport } from '../../src/link/wasi.js';
import { runtimeDir } from '../../src/paths.js';
import { runFirmware } from '../../src/run/qemu.js';

it('two instances of one module live in one image with separate state', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bento-two-'));
  writeFileSync(
    join(dir, 'counter.wat'),
    `(module
      (memory 1)
      (global $calls (mut i32) (i32.const 0))
      (func (export "bump") (param i32) (result i32)
        (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
        (i32.store (i32.const 64) (i32.add (i32.load (i32.const 64)) (local.get 0)))
        (i32.add (i32.mul (global.get $calls) (i32.const 1000)) (i32.load (i32.const 64)))))`,
  );
  execFileSync('wat2wasm', [join(dir, 'counter.wat'), '-o', join(dir, 'counter.wasm')]);
  const board = loadBoard('m4');
  const wasm = readWasm(join(dir, 'counter.wasm'), 1 << 20);
  const objects = [];
  for (const prefix of ['left', 'right']) {
    const compiled = await compileWasm({ wasm, board, object: join(dir, `${prefix}.o`), bounds: 'software', prefix, memoryLimit: 1 << 16, resolveImport: resolveWasiImport(wasm) });
    objects.push(compiled.object);
  }
  writeFileSync(
    join(dir, 'main.c'),
    `#include <stdio.h>
     #include "bento/wasm_program.h"
     void left_init(void); void right_init(void);
     int left_export_bump(int); int right_export_bump(int);
     int main(void) {
       bento_wasm_program_start(1024);
       left_init(); right_init();
       int l = 0, r = 0;
       for (int i = 0; i < 3; i++) l = left_export_bump(10);
       for (int i = 0; i < 5; i++) r = right_export_bump(1);
       printf("left %d right %d\\n", l, r);
       return 0;
     }`,
  );
  const sources = [join(dir, 'main.c'), ...wasmRuntimeSources(), join(runtimeDir, 'wasm-program/program.c')].map((path, i) => ({
    path,
    object: join(dir, 'obj', `${i}.o`),
    flags: ['-O2'],
  }));
  const built = await buildImage({ board, name: 'two', outDir: dir, sources, objects, stack: 8192, stackGuard: 1024, heap: 8192, inputs: [] });
  const run = await runFirmware({ elf: built.image.elf, board, timeoutSeconds: 20 });
  expect(run.output).toBe('left 3030 right 5005\n');
  expect(run.exitCode).toBe(0);
});
