// Imports of a standalone object: C functions the firmware defines, and what cannot be one.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSymbol, resolveCImport } from '../../src/compile/c-imports.js';
import { decodeModule } from '../../src/wasm/decode.js';
import { refusal } from '../support/diagnostics.js';

const work = mkdtempSync(join(tmpdir(), 'bento-c-imports-'));

function resolveAll(name: string, imports: string) {
  writeFileSync(join(work, `${name}.wat`), `(module ${imports})`);
  execFileSync('wat2wasm', [join(work, `${name}.wat`), '-o', join(work, `${name}.wasm`)]);
  const wasm = decodeModule(readFileSync(join(work, `${name}.wasm`)), join(work, `${name}.wasm`));
  const resolve = resolveCImport(wasm, 'm');
  return () => wasm.imports.map((imp) => resolve(imp));
}

describe('resolveCImport', () => {
  it('makes WASI imports bento_wasi_* and any other function <prefix>_import_<module>_<name>', () => {
    const resolved = resolveAll('ok', '(import "wasi_snapshot_preview1" "proc_exit" (func (param i32))) (import "env" "log-it" (func (param i64) (result f32)))')();
    expect(resolved).toEqual([
      { kind: 'host-func', symbol: 'bento_wasi_proc_exit' },
      { kind: 'host-func', symbol: 'm_import_env_log_2dit' },
    ]);
  });

  it.each([
    ['a global', '(import "env" "g" (global i32))', 'B3004'],
    ['a memory', '(import "env" "mem" (memory 1))', 'B3004'],
    ['a function with several results', '(import "env" "two" (func (result i32 i32)))', 'B3003'],
    ['two imports with one C name', '(import "a_b" "c" (func)) (import "a" "b_c" (func))', 'B3004'],
    ['an unknown WASI function', '(import "wasi_snapshot_preview1" "sock_open" (func))', 'B3004'],
  ])('refuses %s', (name, imports, code) => {
    expect(refusal(resolveAll(name.replace(/ /g, '-'), imports)).map((d) => d.code)).toEqual([code]);
  });

  it('keeps the name readable', () => {
    expect(importSymbol('wasm_app', { module: 'env', name: 'read_sensor' })).toBe('wasm_app_import_env_read_sensor');
  });
});
