// Builds of sources with warnings (test/fixtures/boundary/warnings: host, native box, Wasm box):
// each warning shows once, bento's own runtime and glue add none, compile_commands.json lists
// every C file with a command clang accepts, and --werror or a recipe's werror fails the build;
// the linker's warnings too (test/fixtures/boundary/link-warning).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtimeDir } from '../../src/paths.js';
import { bento, projectRoot } from '../support/cli.js';

interface Entry {
  directory: string;
  file: string;
  arguments: string[];
  output: string;
}

const warningLines = (stderr: string) => [...stderr.matchAll(/^(\S+):\d+:\d+: warning: .*$/gm)].map((m) => m[0]);

/** An entry's command made into a syntax check: no object, no depfile. */
function syntaxOnly(entry: Entry): string[] {
  const args: string[] = [];
  for (let i = 1; i < entry.arguments.length; i++) {
    const a = entry.arguments[i]!;
    if (a === '-o' || a === '-MF') i++;
    else if (a !== '-c' && a !== '-MMD') args.push(a);
  }
  return [...args, '-fsyntax-only'];
}

describe('a build with warnings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bento-warnings-'));
  cpSync(join(projectRoot, 'test', 'fixtures', 'boundary', 'warnings'), dir, { recursive: true });
  const database = join(dir, 'build', 'm4', 'compile_commands.json');

  it('shows each warning once, none of them bento\'s, and writes compile_commands.json', async () => {
    const r = await bento(['build', 'm4'], dir);
    expect(r.code, r.stderr).toBe(0);
    const warnings = warningLines(r.stderr);
    expect(warnings.map((w) => basename(w.split(':')[0]!)).sort()).toEqual(['main.c', 'n.c', 'w.c']);
    expect(warnings.every((w) => w.startsWith(dir))).toBe(true);
    expect(r.stderr).toMatch(/main\.c:6:13: warning: variable 'p' is uninitialized when used here \[-Wuninitialized\]/);
    expect(r.stderr).toMatch(/w\.c:4:11: warning: comparison of integers of different signs/);

    const entries = JSON.parse(readFileSync(database, 'utf8')) as Entry[];
    const files = entries.map((e) => e.file);
    for (const f of [join(dir, 'main.c'), join(dir, 'n.c'), join(dir, 'w.c'), join(runtimeDir, 'startup', 'startup.c'), join(runtimeDir, 'box', 'svc.c'), join(runtimeDir, 'wasm-box', 'malloc.c')]) {
      expect(files, f).toContain(f);
    }
    expect(files).toContain(join(dir, 'build', 'm4', 'glue', 'boxes.c'));
    expect(files).toContain(join(dir, 'build', 'm4', 'glue', 'box_n.c'));
    for (const e of entries) {
      expect(Object.keys(e)).toEqual(['directory', 'file', 'arguments', 'output']);
      expect(e.arguments[0]).toBe('clang-14');
      expect(e.arguments.some((a) => /color/.test(a))).toBe(false);
      expect(existsSync(e.output), e.output).toBe(true);
    }
    for (const name of ['main.c', 'w.c']) {
      const entry = entries.find((e) => e.file === join(dir, name))!;
      const check = spawnSync(entry.arguments[0]!, syntaxOnly(entry), { cwd: entry.directory, encoding: 'utf8' });
      expect(check.status, check.stderr).toBe(0);
    }
  }, 300_000);

  it('a second build shows no warning again and keeps every entry', async () => {
    const before = readFileSync(database, 'utf8');
    const r = await bento(['build', 'm4'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(warningLines(r.stderr)).toEqual([]);
    expect(readFileSync(database, 'utf8')).toBe(before);
  }, 300_000);

  it('--werror makes them errors, and no image is left', async () => {
    const r = await bento(['build', 'm4', '--werror'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[B5002\]: compiling \S+n\.c failed/);
    expect(r.stderr).toContain("error: unused variable 'unused_in_n' [-Werror,-Wunused-variable]");
    expect(existsSync(join(dir, 'build', 'm4', 'warnings.elf'))).toBe(false);
  }, 300_000);

  it("the host's werror in the recipe fails on the host's warning alone", async () => {
    const recipe = join(dir, 'bento.toml');
    writeFileSync(recipe, readFileSync(recipe, 'utf8').replace('[host]\n', '[host]\nwerror = true\n'));
    const r = await bento(['build', 'm4'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[B5002\]: compiling \S+main\.c failed/);
    expect(r.stderr).toContain("error: variable 'p' is uninitialized when used here [-Werror,-Wuninitialized]");
    // Box n's object went with the --werror compile that failed: it is compiled (and warns) again; box w's is up to date.
    expect(warningLines(r.stderr).map((w) => basename(w.split(':')[0]!))).toEqual(['n.c']);
  }, 300_000);
});

describe('a link with a warning', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bento-link-warning-'));
  cpSync(join(projectRoot, 'test', 'fixtures', 'boundary', 'link-warning'), dir, { recursive: true });

  it('shows the linker\'s warning, and --werror makes it an error that leaves no image', async () => {
    const r = await bento(['build', 'm4'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${join(dir, 'main.c')}:2: warning: old_api is deprecated; call new_api`);
    const strict = await bento(['build', 'm4', '--werror'], dir);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/error\[B5003\]: linking \S+link-warning\.elf failed/);
    expect(existsSync(join(dir, 'build', 'm4', 'link-warning.elf'))).toBe(false);
  }, 300_000);
});

