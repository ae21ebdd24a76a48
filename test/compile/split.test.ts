import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assembleWat } from '../../src/compile/box-wasm.js';
import { readCallGraph } from '../../src/compile/call-graph.js';
import { compileWasm, loadWasm } from '../../src/compile/wasm.js';
import type { SplitPolicy } from '../../src/compile/split.js';
import { loadBoard } from '../../src/config/board.js';
import { resolveWasiImport } from '../../src/link/wasi.js';

const dir = mkdtempSync(join(tmpdir(), 'bento-split-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const board = loadBoard('m4');

/** Twelve small functions calling each other, a table, a global and data; `k` changes one function. */
function moduleText(k: number): string {
  const fns = Array.from({ length: 12 }, (_, i) => {
    const next = i < 11 ? `(call $f${i + 1} (i32.add (local.get 0) (i32.const ${i})))` : `(i32.load (local.get 0))`;
    const body = i === 5 ? `(i32.mul ${next} (i32.const ${k}))` : `(i32.xor ${next} (global.get $g))`;
    return `(func $f${i} (param i32) (result i32) ${body})`;
  });
  return `(module
    (memory 1)
    (global $g (mut i32) (i32.const 7))
    (table 2 funcref)
    (elem (i32.const 0) $f3 $f9)
    (data (i32.const 16) "split")
    ${fns.join('\n    ')}
    (func (export "run") (param i32) (result i32) (call_indirect (param i32) (result i32) (local.get 0) (i32.const 1)))
    (func (export "first") (param i32) (result i32) (call $f0 (local.get 0))))`;
}

async function compile(k: number, object: string, split?: SplitPolicy) {
  const wat = join(dir, `m${k}.wat`);
  writeFileSync(wat, moduleText(k));
  await assembleWat(wat, join(dir, `m${k}.wasm`), 'assembling');
  const wasm = loadWasm(join(dir, `m${k}.wasm`));
  return compileWasm({ wasm, board, object, bounds: 'software', prefix: 'box_s', memoryLimit: 1 << 16, resolveImport: resolveWasiImport(wasm), stackSizes: true, split });
}

/** nm's defined symbols, `T name` / `t name` (addresses left out), sorted. */
const symbols = (object: string) =>
  execFileSync('arm-none-eabi-nm', [object], { encoding: 'utf8' })
    .split('\n')
    .flatMap((l) => /^(?:[0-9a-f]+ )?\s*([A-Za-z]) (\S+)$/.exec(l)?.slice(1, 3).join(' ') ?? [])
    .filter((s) => !/ \$[atd]/.test(s))
    .sort();

describe('a module compiled in parts', () => {
  const split = { threshold: 0, partitions: 4 };

  it('has the symbols, bindings and frame sizes of the module compiled whole', async () => {
    const whole = join(dir, 'whole.o');
    const parts = join(dir, 'parts.o');
    const a = await compile(3, whole);
    const b = await compile(3, parts, split);
    expect(a.split).toBeUndefined();
    expect(b.split).toEqual({ partitions: 4, cached: 0 });
    // The split's hidden globals are local again: the same global and undefined symbols, no more.
    const globals = (o: string) => symbols(o).filter((s) => /^[A-Z] /.test(s));
    expect(globals(parts)).toEqual(globals(whole));
    expect(symbols(parts)).toContain('t box_s.f11');
    const graph = await readCallGraph(parts);
    expect(graph.functions.get('box_s_export_first')?.frame).toBeTypeOf('number');
    expect(graph.globals).toEqual((await readCallGraph(whole)).globals);
    // It links: the parts' references to each other are resolved.
    execFileSync('arm-none-eabi-ld', ['-r', '--entry=0', '-o', join(dir, 'linked.o'), parts]);
  }, 120_000);

  it('compiles again only the part whose function changed', async () => {
    const object = join(dir, 'edit.o');
    const first = await compile(3, object, split);
    expect(first.split?.cached).toBe(0);
    const same = await compile(3, object, split);
    expect(same.split?.cached).toBe(4);
    const changed = await compile(5, object, split);
    expect(changed.split?.cached).toBe(3);
    // The cache keeps one version of each part.
    expect(readdirSync(`${object}.parts`).filter((f) => f.endsWith('.o'))).toHaveLength(4);
  }, 120_000);

  it('a module below the threshold compiles whole, as before', async () => {
    const object = join(dir, 'small.o');
    const r = await compile(3, object, { threshold: 1 << 30, partitions: 4 });
    expect(r.split).toBeUndefined();
  }, 60_000);
});
