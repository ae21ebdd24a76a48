import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCallGraph } from '../../src/compile/call-graph.js';
import type { CallGraph } from '../../src/compile/call-graph.js';
import { measureNativeStack } from '../../src/compile/native-stack.js';
import { compileWasm, readWasm } from '../../src/compile/wasm.js';
import { loadBoard } from '../../src/config/board.js';
import { resolveWasiImport } from '../../src/link/wasi.js';

const work = mkdtempSync(join(tmpdir(), 'bento-call-graph-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Compiles `wat` for the m4 as a box compiles (no entry check, frames recorded) and reads its call graph. */
async function compiled(name: string, wat: string): Promise<CallGraph> {
  writeFileSync(join(work, `${name}.wat`), wat);
  execFileSync('wat2wasm', [join(work, `${name}.wat`), '-o', join(work, `${name}.wasm`)]);
  const wasm = readWasm(join(work, `${name}.wasm`), 1 << 20);
  const object = join(work, `${name}.o`);
  await compileWasm({ wasm, board: loadBoard('m4'), object, bounds: 'software', prefix: name, memoryLimit: 1 << 16, inBox: true, stackSizes: true, resolveImport: resolveWasiImport(wasm) });
  return readCallGraph(object);
}

// Two table functions of different types, one export calling through the table, one calling directly.
const calls = `(module
  (memory 1)
  (table 2 funcref)
  (type $i_i (func (param i32) (result i32)))
  (type $ii_i (func (param i32 i32) (result i32)))
  (elem (i32.const 0) $twice $add)
  (func $twice (type $i_i) (i32.mul (local.get 0) (i32.const 2)))
  (func $add (type $ii_i) (i32.add (local.get 0) (local.get 1)))
  (func (export "through_table") (param i32) (result i32)
    (call_indirect (type $i_i) (i32.const 7) (local.get 0)))
  (func (export "direct") (param i32) (result i32)
    (i32.load (call $twice (i32.load (local.get 0))))))`;

describe('readCallGraph on llc output', () => {
  it('records every function\'s frame, the funcref records, and a call_indirect with the signature it checks', async () => {
    const g = await compiled('calls', calls);
    expect(g.globals).toEqual(expect.arrayContaining(['calls_export_through_5ftable', 'calls_export_direct', 'calls_init']));
    for (const [name, f] of g.functions) expect(f.frame, name).toBeTypeOf('number');
    expect(g.funcrefs.map((r) => r.signature).sort()).toEqual(['bento_sig_i_i', 'bento_sig_ii_i']);
    const through = g.functions.get('calls_export_through_5ftable')!;
    expect(through.indirect).toBe(true);
    expect(through.signatures).toEqual(['bento_sig_i_i']);
    // A table index past the table's size traps: the trap entry is a call too.
    expect(through.calls).toContain('bento_wasm_trap');
  });

  it('finds recursion the compiler keeps (tail calls are disabled in boxes)', async () => {
    const g = await compiled(
      'deep',
      `(module (memory 1)
        (func $down (param i32) (result i32)
          (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
            (else (i32.add (i32.load (local.get 0)) (call $down (i32.sub (local.get 0) (i32.const 1)))))))
        (func (export "deep") (param i32) (result i32) (call $down (local.get 0))))`,
    );
    const r = measureNativeStack({ graph: g, external: () => 0, boundary: 0 });
    expect(r.bounded).toBe(false);
    expect(!r.bounded && r.reason).toMatch(/^recursion: deep_f0 -> deep_f0$/);
  });

  it('measures a module without recursion, its deepest chain starting at an entry point', async () => {
    const g = await compiled('calls2', calls);
    const r = measureNativeStack({ graph: g, external: () => 0, boundary: 0 });
    if (!r.bounded) throw new Error(r.reason);
    expect(g.globals).toContain(r.deepest[0]);
    const frames = r.deepest.map((n) => g.functions.get(n)?.frame ?? 0);
    expect(r.bytes).toBe(Math.ceil(frames.reduce((a, b) => a + b, 0) / 8) * 8);
  });
});
