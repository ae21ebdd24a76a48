import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assembleWat } from '../../src/compile/box-wasm.js';
import { compileWasm } from '../../src/compile/wasm.js';
import { loadBoard } from '../../src/config/board.js';
import { setReportSink } from '../../src/diagnostics/reporter.js';
import { resolveWasiImport } from '../../src/link/wasi.js';
import { decodeModule } from '../../src/wasm/decode.js';
import { validateModule } from '../../src/wasm/validate/validate.js';

const fixtures = join(__dirname, '..', 'fixtures', 'names');
const dir = mkdtempSync(join(tmpdir(), 'bento-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const board = loadBoard('m4');

/** Compiles module bytes for the m4 and returns the object's function symbols (nm: t and T). */
async function functionsOf(bytes: Uint8Array, name: string, prefix: string): Promise<string[]> {
  const wasm = decodeModule(bytes, join(dir, `${name}.wasm`));
  validateModule(wasm);
  const object = join(dir, `${name}.o`);
  await compileWasm({ wasm, board, object, bounds: 'software', prefix, memoryLimit: 1 << 20, resolveImport: resolveWasiImport(wasm) });
  const nm = execFileSync('arm-none-eabi-nm', ['--defined-only', object], { encoding: 'utf8' });
  return nm.split('\n').flatMap((l) => /^[0-9a-f]+ [tT] (\S+)$/.exec(l)?.[1] ?? []);
}

/** A custom section: id 0, size, the name, the contents. */
function customSection(name: string, contents: number[]): number[] {
  const body = [name.length, ...Buffer.from(name), ...contents];
  return [0, body.length, ...body];
}

describe('function symbols from the name section', () => {
  it("a .wat's $names become <prefix>.<name>, an unnamed function stays <prefix>_f<index>", async () => {
    const wasmFile = join(dir, 'named.wasm');
    await assembleWat(join(fixtures, 'named.wat'), wasmFile, 'assembling named.wat');
    const symbols = await functionsOf(readFileSync(wasmFile), 'named', 'box_t');
    expect(symbols).toContain('box_t.walk');
    expect(symbols).toContain('box_t_f2');
    expect(symbols).toContain('box_t_export_run');
    expect(symbols.filter((s) => /^box_t_f\d+$/.test(s))).toEqual(['box_t_f2']);
  }, 60_000);

  it("a C module's functions carry clang's names", async () => {
    const object = join(dir, 'store.wasm.o');
    const wasmFile = join(dir, 'store.wasm');
    const target = ['--target=wasm32-wasi', '--sysroot=/usr'];
    execFileSync('clang-14', [...target, '-O2', '-c', join(fixtures, 'store.c'), '-o', object]);
    // Linked as bento links a C box: without -O, so clang runs no wasm-opt (which drops the name section).
    execFileSync('clang-14', [...target, '-mexec-model=reactor', object, '-o', wasmFile]);
    const symbols = await functionsOf(readFileSync(wasmFile), 'store', 'box_store');
    expect(symbols).toContain('box_store.fold');
    expect(symbols).toContain('box_store_export_store');
    expect(symbols.some((s) => s.startsWith('box_store_f'))).toBe(false);
  }, 60_000);

  it.each([
    ['a name map that runs past its subsection', [1, 4, 2, 1, 1, 0x61]],
    ['subsections out of order', [1, 4, 1, 1, 1, 0x61, 0, 1, 0]],
    ['indices out of order', [1, 7, 2, 2, 1, 0x61, 1, 1, 0x62]],
    ['a name that is not UTF-8', [1, 4, 1, 1, 1, 0xff]],
  ])('a malformed name section (%s) is ignored: the module compiles, its functions unnamed', async (_what, contents) => {
    const plain = join(dir, 'plain.wasm');
    execFileSync('wat2wasm', [join(fixtures, 'named.wat'), '-o', plain]);
    const bytes = Uint8Array.from([...readFileSync(plain), ...customSection('name', contents)]);
    const warnings: string[] = [];
    setReportSink({ write: (kind, text) => kind === 'warning' && warnings.push(text), colour: false });
    try {
      const symbols = await functionsOf(bytes, 'malformed', 'box_m');
      expect(symbols).toContain('box_m_f1');
      expect(symbols.some((s) => s.includes('.'))).toBe(false);
    } finally {
      setReportSink(undefined);
    }
    // One warning, located at the problem inside the section (past the module's own bytes).
    expect(warnings).toHaveLength(1);
    const at = /malformed\.wasm\+0x([0-9a-f]+): warning: custom section 'name' ignored, it is not well formed/.exec(warnings[0]!);
    expect(at, warnings[0]).not.toBeNull();
    expect(Number.parseInt(at![1]!, 16)).toBeGreaterThanOrEqual(readFileSync(plain).length);
  }, 60_000);
});
