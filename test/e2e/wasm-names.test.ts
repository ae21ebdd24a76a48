import { execFile, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bento, bentoBin, projectRoot } from '../support/cli.js';

// A fault in compiled Wasm code is named by the function's source name (the name section) and,
// for C built with -g, by its source line (the module's DWARF lines, carried into the image).
const source = join(projectRoot, 'test/fixtures/names/fault.c');
const work = mkdtempSync(join(tmpdir(), 'bento-wasm-names-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

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

describe('a Wasm box built with -g, in gdb (m4)', () => {
  it('stops at the box function by its name, shows where it was called from and steps by C line', { timeout: 300_000 }, async () => {
    const dir = join(work, 'mixed');
    cpSync(join(projectRoot, 'examples/mixed'), dir, { recursive: true, filter: (f) => !f.includes('/build') });
    const toml = join(dir, 'bento.toml');
    writeFileSync(toml, readFileSync(toml, 'utf8').replace('sources = ["filter.c"]', 'sources = ["filter.c"]\ncflags = ["-g"]'));
    const built = await bento(['build', 'm4'], dir);
    expect(built.code, built.stderr).toBe(0);
    const elf = join(dir, 'build/m4/mixed.elf');
    const filter = join(dir, 'filter.c');
    const lineIn = (marker: string) => readFileSync(filter, 'utf8').split('\n').findIndex((l) => l.includes(marker)) + 1;

    const port = 20001 + (process.pid % 20000);
    let stderr = '';
    const child = spawn(process.execPath, [bentoBin, 'run', 'm4', '--gdb', '--gdb-port', String(port)], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = new Promise<number | null>((r) => child.on('close', r));
    for (let i = 0; i < 600 && !stderr.includes('target remote'); i++) await new Promise((r) => setTimeout(r, 100));
    const gdbArgs = ['--batch', '-nx', elf, '-ex', `target remote :${port}`, '-ex', 'break box_filter.smooth', '-ex', 'continue', '-ex', 'bt', '-ex', 'next', '-ex', 'delete', '-ex', 'continue'];
    const gdb = await new Promise<string>((resolve) => execFile('gdb-multiarch', gdbArgs, { timeout: 120_000 }, (_err, out, err) => resolve(`${out}${err}`)));
    expect(gdb).toMatch(new RegExp(`Breakpoint 1, box_filter\\.smooth \\(\\) at \\S*filter\\.c:${lineIn('int32_t smooth(')}`));
    // Inlined into the export's entry by opt, called from the glue.
    expect(gdb).toMatch(/^#1 +box_filter_export_smooth \(\) at \S*filter\.c:\d+$/m);
    expect(gdb).toMatch(/^#2 +0x[0-9a-f]+ in box_filter_entry_smooth \(/m);
    expect(gdb).toMatch(new RegExp(`^${lineIn('if (!primed)')}\\s+if \\(!primed\\)`, 'm'));
    expect(await code).toBe(0);
  });
});

describe('a Wasm box stopped by its budget (m4)', () => {
  it('is named where it stopped: the function by its source name, and its C line', { timeout: 300_000 }, async () => {
    const dir = join(work, 'spin');
    cpSync(join(projectRoot, 'test/fixtures/names/spin'), dir, { recursive: true });
    const r = await bento(['run', 'm4', '--timeout', '120'], dir);
    expect(r.stdout).toContain('spin() = -8 (CPU budget exceeded)');
    expect(r.code).toBe(0);
    const looper = readFileSync(join(dir, 'looper.c'), 'utf8').split('\n');
    const loopLines = [looper.findIndex((l) => l.includes('for (;;)')) + 1, looper.findIndex((l) => l.includes('turns++')) + 1];
    const m = /^bento: box looper stopped at PC 0x[0-9a-f]{8} in box_looper\.spin_forever at looper\.c:(\d+)$/m.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    expect(loopLines).toContain(Number(m![1]));
  });
});
