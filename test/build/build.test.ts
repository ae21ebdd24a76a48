// Build folders (src/build/build.ts, buildDir): each recipe of a folder builds into a folder of
// its own, so switching recipes rebuilds nothing; and no build, successful or not, leaves a
// temporary file behind (issue 16, point 8).
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDir, recipeBuildFolder } from '../../src/build/build.js';
import { bento, projectRoot } from '../support/cli.js';

describe('the build folder of a recipe', () => {
  it.each([
    ['/p/bento.toml', 'm4', false, '/p/build/m4'],
    ['/p/bento.toml', 'm4', true, '/p/build/m4-app'],
    ['/p/small-ram.toml', 'stm32f405', false, '/p/build/small-ram/stm32f405'],
    ['/p/small-ram.toml', 'm4', true, '/p/build/small-ram/m4-app'],
    ['/p/a/x.toml', 'm4', false, '/p/a/build/x/m4'],
    ['/p/b/x.toml', 'm4', false, '/p/b/build/x/m4'],
    ['/p/test/ring/bento.toml', 'm7', false, '/p/test/ring/build/m7'],
    ['/p/recipe', 'm4', false, '/p/build/recipe/m4'],
    ['/p/x.recipe.toml', 'm4', false, '/p/build/x.recipe/m4'],
  ])('%s for %s (slot: %s) builds into %s', (file, board, application, dir) => {
    const recipe = { file, dir: file.slice(0, file.lastIndexOf('/')) };
    expect(buildDir(recipe, { name: board }, application)).toBe(dir);
  });

  it('gives every recipe file of a folder but bento.toml a folder of its own', () => {
    const names = ['bento.toml', 'a.toml', 'b.toml', 'a', '.toml'];
    expect(names.map((file) => recipeBuildFolder({ file: `/p/${file}` }))).toEqual(['', 'a', 'b', 'a', '.toml']);
  });
});

/** Every file under `dir` with its modification time, by path relative to `dir`. */
function mtimes(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.set(relative(dir, path), statSync(path).mtimeMs);
  }
  return out;
}

/** Files under `dir` whose name holds "tmp", as `find dir -name '*tmp*'` lists them. */
function temporaries(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.name.includes('tmp'))
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

describe('two recipes of one folder (examples/mixed and a variant)', () => {
  it('build into folders of their own: switching back is up to date, and nothing temporary stays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bento-folders-'));
    cpSync(join(projectRoot, 'examples', 'mixed'), dir, { recursive: true, filter: (src) => !src.endsWith('/build') });
    const recipe = readFileSync(join(dir, 'bento.toml'), 'utf8');
    // Other flags for the host and another shadow stack for the Wasm box: in one shared folder
    // every object of the variant would replace the default recipe's.
    const variant = recipe.replace('sources = ["main.c"]', 'sources = ["main.c"]\ndefines = ["MIXED_VARIANT=2"]').replace('stack = "8 KiB"', 'stack = "6 KiB"');
    expect(variant).not.toBe(recipe);
    writeFileSync(join(dir, 'variant.toml'), variant);

    const first = await bento(['build', 'm4'], dir);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout + first.stderr).toContain('linked build/m4/mixed.elf');
    const before = mtimes(join(dir, 'build', 'm4'));
    expect(before.get('obj/box/sensor/box.o')).toBeDefined();

    const other = await bento(['build', 'm4', '--recipe', 'variant.toml', '--json'], dir);
    expect(other.code, other.stderr).toBe(0);
    expect(JSON.parse(other.stdout)).toMatchObject({ recipe: 'variant.toml', elf: 'build/variant/m4/mixed.elf', bin: 'build/variant/m4/mixed.bin', map: 'build/variant/m4/mixed.map', upToDate: false });
    // The variant's compile database names its own objects, with its own flags.
    const database = JSON.parse(readFileSync(join(dir, 'build', 'variant', 'm4', 'compile_commands.json'), 'utf8')) as { file: string; arguments: string[] }[];
    const host = database.find((e) => e.file.endsWith('/main.c'))!;
    expect(host.arguments).toContain('-DMIXED_VARIANT=2');
    expect(host.arguments.join(' ')).toContain(join(dir, 'build', 'variant', 'm4', 'obj', 'host', 'main.o'));

    const again = await bento(['build', 'm4'], dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout + again.stderr).toMatch(/^mixed for m4 is up to date: build\/m4\/mixed\.elf /m);
    expect(mtimes(join(dir, 'build', 'm4')), 'no file of the default recipe was written again').toEqual(before);

    // A failing host link and a failing native box (B2008) leave nothing temporary either.
    const main = readFileSync(join(dir, 'main.c'), 'utf8');
    writeFileSync(join(dir, 'main-calls.c'), main.replace('int main(void) {', 'int not_defined_anywhere(void);\n\nint main(void) {\n    if (not_defined_anywhere()) return 2;'));
    writeFileSync(join(dir, 'broken-host.toml'), recipe.replace('sources = ["main.c"]', 'sources = ["main-calls.c"]'));
    const host2 = await bento(['build', 'm4', '--recipe', 'broken-host.toml'], dir);
    expect(host2.code).toBe(1);
    expect(host2.stderr).toContain("uses 'not_defined_anywhere'");
    expect(existsSync(join(dir, 'build', 'broken-host', 'm4', 'mixed.elf'))).toBe(false);
    const sensor = readFileSync(join(dir, 'sensor.c'), 'utf8');
    writeFileSync(join(dir, 'sensor-puts.c'), `#include <stdio.h>\n${sensor.replace('int32_t sample(uint32_t tick) {', 'int32_t sample(uint32_t tick) {\n    puts("sample");')}`);
    writeFileSync(join(dir, 'broken-box.toml'), recipe.replace('sources = ["sensor.c"]', 'sources = ["sensor-puts.c"]'));
    const box = await bento(['build', 'm4', '--recipe', 'broken-box.toml'], dir);
    expect(box.code).toBe(1);
    expect(box.stderr).toContain("error[B2008]: box sensor: sensor-puts.c uses 'puts'");
    expect(temporaries(join(dir, 'build'))).toEqual([]);
  }, 300_000);
});
