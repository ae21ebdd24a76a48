// The WASI test programs (test/fixtures/wasi-programs): each compiles with clang-14 for
// wasm32-wasi, runs under Node's WASI to its expected exit code with the same output every
// time, and imports only functions runtime-c/wasi implements.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../support/cli.js';
import { runInNode } from './node-reference.js';
import { compileProgram, listFunctionImports, programsDir, wasiPrograms } from './programs.js';

const wasiHeader = join(projectRoot, 'runtime-c/include/bento/wasi.h');
const wasiSourcesDir = join(projectRoot, 'runtime-c/wasi');
const programs = wasiPrograms;

/** The WASI functions bento implements: those wasi.h declares as bento_wasi_NAME. */
function declaredWasiFunctions(): string[] {
  const header = readFileSync(wasiHeader, 'utf8');
  return [...header.matchAll(/\bbento_wasi_(\w+)\(bento_wasm_instance_t \*inst/g)].map((m) => m[1]!).sort();
}

function definedWasiFunctions(): string[] {
  const names: string[] = [];
  for (const file of readdirSync(wasiSourcesDir).filter((f) => f.endsWith('.c'))) {
    const text = readFileSync(join(wasiSourcesDir, file), 'utf8');
    for (const m of text.matchAll(/^(?:int32_t|void) bento_wasi_(\w+)\(bento_wasm_instance_t \*inst/gm)) names.push(m[1]!);
  }
  return names.sort();
}

let outDir = '';
const wasmOf = (name: string): string => join(outDir, `${name}.wasm`);

beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), 'bento-wasi-programs-'));
  for (const name of Object.keys(programs)) compileProgram(name, outDir);
});

afterAll(() => {
  if (outDir !== '') rmSync(outDir, { recursive: true, force: true });
});

describe('WASI test programs', () => {
  it('lists every program in the fixture folder', () => {
    const sources = readdirSync(programsDir)
      .filter((f) => f.endsWith('.c'))
      .map((f) => f.slice(0, -2))
      .sort();
    expect(sources).toEqual(Object.keys(programs).sort());
  });

  it('wasi.h declares exactly the functions runtime-c/wasi defines', () => {
    expect(declaredWasiFunctions()).toEqual(definedWasiFunctions());
  });

  describe.each(Object.entries(programs))('%s', (name, exitCode) => {
    it(`runs under Node's WASI to exit code ${exitCode}, the same twice`, async () => {
      const first = await runInNode(wasmOf(name));
      const second = await runInNode(wasmOf(name));
      expect(first.trap).toBeUndefined();
      expect(first.exitCode).toBe(exitCode);
      expect(second).toEqual(first);
      expect(first.stdout.trimEnd().split('\n').length).toBeGreaterThanOrEqual(2);
      expect(first.stdout).toMatch(/checksum:? 0x[0-9a-f]{8}\n?$/);
      if (exitCode === 0) expect(first.stderr).toBe('');
    });

    it('imports only WASI functions bento implements', () => {
      const implemented = new Set(declaredWasiFunctions().map((f) => `wasi_snapshot_preview1.${f}`));
      const imports = listFunctionImports(wasmOf(name));
      expect(imports.length).toBeGreaterThan(0);
      expect(imports.filter((i) => !implemented.has(i))).toEqual([]);
    });
  });

  it('exit-code writes both streams before exit(3), unflushed stdout included', async () => {
    const r = await runInNode(wasmOf('exit-code'));
    expect(r.stderr).toBe('stderr: about to exit with code 3\n');
    expect(r.stdout).toMatch(/^stdout: sum of squares 1\.\.100 = 338350\nstdout: this line has no newline before exit, checksum 0x[0-9a-f]{8}$/);
  });

  it('host-services sees no arguments, no environment, an empty stdin and working clocks', async () => {
    const r = await runInNode(wasmOf('host-services'));
    expect(r.stdout).toContain('argc = 0, argv[argc] is NULL: 1\n');
    expect(r.stdout).toContain('environment: PATH unset 1, HOME unset 1\n');
    expect(r.stdout).toContain('stdin: getchar() == EOF 1, feof 1\n');
    expect(r.stdout).toContain('clocks: calls ok 1, resolution in (0, 1 ms] 1, monotonic never goes back 1, realtime >= 0 1\n');
    expect(r.stdout).toContain('random: calls ok 1, two draws differ 1\n');
  });
});
