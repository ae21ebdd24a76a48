import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLineTable, rowsAt } from '../../src/wasm/debug-line.js';
import { decodeModule } from '../../src/wasm/decode.js';
import { readCompDirs } from '../../src/wasm/dwarf-units.js';

const fixture = join(__dirname, '..', 'fixtures', 'names', 'store.c');
const dir = mkdtempSync(join(tmpdir(), 'bento-dwarf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** store.c built with `flag` and linked as bento links a C box; its module. */
function moduleBuiltWith(flag: string) {
  const target = ['--target=wasm32-wasi', '--sysroot=/usr'];
  const object = join(dir, `store${flag}.o`);
  const wasm = join(dir, `store${flag}.wasm`);
  // A relative source path, as a build from the source's folder gives: the unit's directory completes it.
  execFileSync('clang-14', [...target, '-O2', flag, '-c', 'store.c', '-o', object], { cwd: dirname(fixture) });
  execFileSync('clang-14', [...target, '-mexec-model=reactor', object, '-o', wasm]);
  return { file: wasm, module: decodeModule(readFileSync(wasm), wasm) };
}

/** The rows llvm-dwarfdump prints: address, line, column; an end_sequence as line 0 column 0. */
function dwarfdumpRows(file: string): string[] {
  const out = execFileSync('llvm-dwarfdump-14', ['--debug-line', file], { encoding: 'utf8' });
  return out.split('\n').flatMap((l) => {
    const m = /^0x([0-9a-f]{16})\s+(\d+)\s+(\d+)\s+\d+\s+\d+\s+\d+\s*(.*)$/.exec(l);
    if (!m) return [];
    const end = m[4]!.includes('end_sequence');
    return [`${Number.parseInt(m[1]!, 16)}:${end ? 0 : m[2]}:${end ? 0 : m[3]}`];
  });
}

describe('readLineTable', () => {
  it.each(['-gdwarf-4', '-gdwarf-5'])('reads the rows llvm-dwarfdump reads (%s, beside wasi-libc’s DWARF 4)', (flag) => {
    const { file, module } = moduleBuiltWith(flag);
    const s = module.debugSections!;
    const strings = { str: s.get('.debug_str'), lineStr: s.get('.debug_line_str') };
    const compDirs = readCompDirs({ info: s.get('.debug_info')!, abbrev: s.get('.debug_abbrev')!, strOffsets: s.get('.debug_str_offsets'), ...strings });
    expect([...compDirs.values()]).toContain(dirname(fixture));
    const table = readLineTable({ line: s.get('.debug_line')!, compDirs, ...strings });
    expect(table).toBeDefined();
    const ours = table!.rows.map((r) => `${r.address}:${r.line}:${r.column}`).sort();
    expect(ours).toEqual(dwarfdumpRows(file).sort());
    // fold()'s first line, with its file's whole path.
    expect(table!.rows.some((r) => r.file === fixture && r.line === 8)).toBe(true);
  });

  it('finds the row covering each code offset, and no line past a sequence end', () => {
    const table = { rows: [
      { address: 10, file: 'a.c', line: 3, column: 1 },
      { address: 14, file: 'a.c', line: 4, column: 2 },
      { address: 20, file: '', line: 0, column: 0 },
    ] };
    expect(rowsAt(table, [5, 10, 13, 14, 19, 20, 30]).map((r) => r?.line)).toEqual([undefined, 3, 3, 4, 4, undefined, undefined]);
  });

  it.each([
    ['a unit length past the section', [0xff, 0, 0, 0, 4, 0]],
    ['an unknown version', [6, 0, 0, 0, 9, 0, 0, 0, 0, 0]],
    ['a header cut short', [4, 0, 0, 0, 4, 0, 1, 0]],
  ])('is undefined for a section it cannot read (%s)', (_what, bytes) => {
    expect(readLineTable({ line: Uint8Array.from(bytes) })).toBeUndefined();
  });
});
