import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/config/board.js';
import { BentoError } from '../../src/diagnostics/error.js';
import { loadCases } from '../../src/test-runner/cases.js';
import { planPairs } from '../../src/test-runner/plan.js';
import { refusal } from '../support/diagnostics.js';

function project(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'bento-plan-'));
  mkdirSync(join(dir, 'test'));
  writeFileSync(join(dir, 'main.c'), 'int main(void) { return 0; }\n');
  writeFileSync(join(dir, 'bento.toml'), 'name = "p"\n[host]\nsources = ["main.c"]\n');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const testDir = join(dir, 'test');
  return { dir, cases: (names: string[]) => loadCases(testDir, names, join(dir, 'bento.toml')) };
}


describe('pairs of case and board', () => {
  it("takes each case's boards in its order, or --board's for every case", () => {
    const p = project({ 'test/a.toml': 'boards = ["m7", "m4"]\n', 'test/b.toml': 'boards = ["m55"]\n' });
    const cases = p.cases(['a', 'b']);
    expect(planPairs(cases).map((x) => `${x.testCase.name} ${x.board.name}`)).toEqual(['a m7', 'a m4', 'b m55']);
    expect(planPairs(cases, [loadBoard('m33')]).map((x) => `${x.testCase.name} ${x.board.name}`)).toEqual(['a m33', 'b m33']);
  });

  it('resolves a board file relative to the case, and a recipe once for all its pairs', () => {
    const p = project({ 'test/a.toml': 'boards = ["../m4-copy.toml"]\n', 'test/b.toml': 'boards = ["m4-copy.toml"]\n' });
    writeFileSync(join(p.dir, 'm4-copy.toml'), 'x = 1\n');
    // A broken board file keeps its own location; a missing one is located in the case.
    const found = refusal(() => planPairs(p.cases(['a', 'b'])));
    expect(found.map((d) => `${d.code} ${d.location?.file.replace(p.dir + '/', '')}:${d.location?.line ?? ''}`)).toContain('B1001 m4-copy.toml:1');
    expect(found.map((d) => `${d.code} ${d.location?.file.replace(p.dir + '/', '')}:${d.location?.line}:${d.location?.column}`)).toContain('B1007 test/b.toml:1:11');
    const ok = project({ 'test/a.toml': 'boards = ["m4", "m7"]\n', 'test/b.toml': 'boards = ["m4"]\n' });
    const pairs = planPairs(ok.cases(['a', 'b']));
    expect(pairs[0]!.recipe).toBe(pairs[2]!.recipe);
  });

  it('refuses a case without boards when no --board is given, at the case file', () => {
    const p = project({ 'test/lone.expected': 'x\n' });
    const [d] = refusal(() => planPairs(p.cases(['lone'])));
    expect(d).toMatchObject({ code: 'B1003', message: 'case lone names no boards', location: { file: join(p.dir, 'test', 'lone.expected') } });
    expect(planPairs(p.cases(['lone']), [loadBoard('m4')])).toHaveLength(1);
  });

  it("fails only a broken recipe's own pairs, keeping its errors", () => {
    const p = project({ 'test/a.toml': 'recipe = "../bad.toml"\nboards = ["m4"]\n', 'test/b.toml': 'boards = ["m4"]\n', 'bad.toml': 'name = "bad"\n[host]\nsources = ["gone.c"]\n' });
    const [a, b] = planPairs(p.cases(['a', 'b']));
    expect(a!.recipe).toBeInstanceOf(BentoError);
    expect((a!.recipe as BentoError).code).toBe('B1007');
    expect(b!.recipe).not.toBeInstanceOf(BentoError);
  });

  it('builds two recipes of one folder and one name into their own folders, and refuses two files that come to one', () => {
    const twin = 'name = "p"\n[host]\nsources = ["main.c"]\n';
    const apart = project({ 'test/a.toml': 'boards = ["m4"]\n', 'test/b.toml': 'recipe = "../twin.toml"\nboards = ["m4", "m7"]\n', 'twin.toml': twin });
    expect(planPairs(apart.cases(['a', 'b'])).map((x) => x.testCase.name)).toEqual(['a', 'b', 'b']);
    // `twin` and `twin.toml` both build into build/twin/<board>/.
    const p = project({ 'test/a.toml': 'recipe = "../twin"\nboards = ["m4"]\n', 'test/b.toml': 'recipe = "../twin.toml"\nboards = ["m4", "m7"]\n', twin, 'twin.toml': twin });
    const found = refusal(() => planPairs(p.cases(['a', 'b'])));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'B1004', location: { file: join(p.dir, 'test', 'b.toml') } });
    expect(found[0]!.message).toMatch(/would both build \S*build\/twin\/m4\/p\.elf$/);
  });
});
