// Who provides each symbol a compiled object leaves undefined, and whether it needs the unaligned-access handler.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyNeeds, mayFaultUnaligned } from '../../src/compile/object-needs.js';
import { decodeModule } from '../../src/wasm/decode.js';

describe('classifyNeeds', () => {
  it('sorts runtime-c, firmware and library symbols apart', () => {
    const needs = classifyNeeds(
      ['__aeabi_ldivmod', 'bento_wasm_memory_grow', 'bento_wasm_memory_reset', 'bento_wasm_opaque_zero', 'bento_wasm_stack_limit', 'bento_wasm_table_reset', 'bento_wasm_trap', 'bento_wasi_fd_write', 'memcpy', 'm_import_env_f', 'm_memory'],
      'm',
    );
    expect(needs).toEqual({
      runtimeSources: ['string/fast_mem.c', 'wasm/bulk_memory.c', 'wasm/opaque.c', 'wasm/tables.c', 'wasm/trap_entry.c', 'wasm/traps.c'],
      firmware: ['bento_wasm_stack_limit', 'bento_wasi_fd_write', 'm_import_env_f', 'm_memory'],
      libraries: ['__aeabi_ldivmod', 'memcpy'],
      trapHook: true,
    });
  });

  it('needs no trap hook from an object that cannot trap', () => {
    expect(classifyNeeds(['bento_wasm_stack_limit'], 'm').trapHook).toBe(false);
  });
});

describe('mayFaultUnaligned', () => {
  const work = mkdtempSync(join(tmpdir(), 'bento-object-needs-'));
  const module = (name: string, body: string) => {
    writeFileSync(join(work, `${name}.wat`), `(module (memory 1) (func ${body}))`);
    execFileSync('wat2wasm', [join(work, `${name}.wat`), '-o', join(work, `${name}.wasm`)]);
    return decodeModule(readFileSync(join(work, `${name}.wasm`)), join(work, `${name}.wasm`));
  };
  const both = { f32: true, f64: true };
  it.each([
    ['an aligned f32 load the FPU moves', 'aligned', '(drop (f32.load (i32.const 0)))', both, true],
    ['an f64 store on a single-precision FPU', 'f64-sp', '(f64.store (i32.const 0) (f64.const 1))', { f32: true, f64: false }, false],
    ['a float whose hint says unaligned', 'hint', '(drop (f32.load align=1 (i32.const 0)))', both, false],
    ['floats through integer registers (--no-unaligned-float)', 'integer', '(drop (f32.load (i32.const 0)))', { f32: false, f64: false }, false],
    ['integer accesses only', 'ints', '(drop (i64.load (i32.const 0)))', both, false],
  ])('%s: %s', (_, name, body, fpu, expected) => {
    expect(mayFaultUnaligned(module(name, body), fpu)).toBe(expected);
  });
});
