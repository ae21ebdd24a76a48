import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bento, projectRoot } from '../support/cli.js';

// A fault in compiled Wasm code is named by the function's source name (the name section) and,
// for C built with -g, by its source line (the module's DWARF lines, carried into the image).
const source = join(projectRoot, 'test/fixtures/names/fault.c');
const work = mkdtempSync(join(tmpdir(), 'bento-wasm-names-'));

/** fault.c as a WASI program, compiled with `flags` and linked without -O (no wasm-opt, which drops the name section). */
function program(name: string, flags: string[]): string {
  const target = ['--target=wasm32-wasi', '--sysroot=/usr'];
  const object = join(work, `${name}.o`);
  const wasm = join(work, `${name}.wasm`);
  execFileSync('clang-14', [...target, '-O2', ...flags, '-c', source, '-o', object]);
  execFileSync('clang-14', [...target, object, '-o', wasm]);
  return wasm;
}

const lineOf = (marker: string) => readFileSync(source, 'utf8').split('\n').findIndex((l) => l.includes(marker)) + 1;

async function runFaulting(name: string, flags: string[]) {
  const out = join(work, 'out', name);
  const r = await bento(['run-wasm', program(name, flags), '--board', 'm4', '--bounds', 'none', '--out-dir', out]);
  expect(r.stdout).toContain('*** bento: BusFault');
  expect(r.code).toBe(152);
  return { ...r, elf: join(out, `${name}.elf`) };
}

describe('a fault in Wasm code, named (m4)', () => {
  it('by the function the name section names, without -g', { timeout: 180_000 }, async () => {
    const r = await runFaulting('plain', []);
    expect(r.stderr).toMatch(/^bento: PC 0x[0-9a-f]{8} in wasm_plain\.store_far \(Wasm function store_far of module plain: compiled from Wasm, no source lines\)$/m);
  });

  it('by its C source line with -g, and gdb finds the function and the line', { timeout: 180_000 }, async () => {
    const r = await runFaulting('lines', ['-g']);
    const at = (line: number) => `${source.replace(`${process.cwd()}/`, '')}:${line}`;
    expect(r.stderr).toMatch(new RegExp(`^bento: PC 0x[0-9a-f]{8} in wasm_lines\\.store_far at ${at(lineOf('*p = v;'))}$`, 'm'));
    expect(r.stderr).toMatch(new RegExp(`^bento: LR 0x[0-9a-f]{8} in wasm_lines\\.main at ${at(lineOf('store((volatile'))}(, inlined into .*)?$`, 'm'));
    const gdb = execFileSync('gdb-multiarch', ['-batch', '-ex', 'break wasm_lines.store_far', r.elf], { encoding: 'utf8' });
    // The whole path: the module's unit directory completes the line table's relative one.
    expect(gdb).toMatch(new RegExp(`Breakpoint 1 at 0x[0-9a-f]+: file ${source}, line ${lineOf('*p = v;')}\\.`));
  });
});
