import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseNames, defaultTimeoutSeconds, loadCases } from '../../src/test-runner/cases.js';
import { refusal as diagnostics } from '../support/diagnostics.js';

/** A project folder with a recipe and the given files under test/. */
function project(files: Record<string, string>): { dir: string; testDir: string; recipe: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bento-cases-'));
  const testDir = join(dir, 'test');
  mkdirSync(join(testDir, 'own'), { recursive: true });
  writeFileSync(join(dir, 'bento.toml'), 'name = "p"\n[host]\nsources = []\n');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(testDir, name), text);
  return { dir, testDir, recipe: join(dir, 'bento.toml') };
}


describe('test cases under test/', () => {
  it('finds every <case>.toml and <case>.expected directly in test/, sorted, once each', () => {
    const p = project({ 'b.toml': '', 'b.expected': '', 'a.expected': '', 'notes.txt': '', '.toml': '' });
    writeFileSync(join(p.testDir, 'own', 'bento.toml'), '');
    expect(caseNames(p.testDir)).toEqual(['a', 'b']);
  });

  it('reads a case file with its expected output beside it', () => {
    const p = project({
      'boot.toml': 'boards = ["m4", "../boards/x.toml"]\nexit-code = 3\ntimeout = "1.5 s"\nicount = true\n',
      'boot.expected': 'hello on {board}\n',
    });
    const [c] = loadCases(p.testDir, ['boot'], p.recipe);
    expect(c).toMatchObject({ name: 'boot', file: join(p.testDir, 'boot.toml'), recipe: p.recipe, exitCode: 3, timeoutSeconds: 1.5, icount: true });
    expect(c!.boards.map((b) => [b.spec, b.location.line, b.location.column])).toEqual([['m4', 1, 11], ['../boards/x.toml', 1, 17]]);
    expect(c!.expected).toEqual({ file: join(p.testDir, 'boot.expected'), text: 'hello on {board}\n' });
  });

  it('takes an expected-output file alone as a case with every default', () => {
    const p = project({ 'plain.expected': 'x\n' });
    const [c] = loadCases(p.testDir, ['plain'], p.recipe);
    expect(c).toMatchObject({ name: 'plain', file: join(p.testDir, 'plain.expected'), recipe: p.recipe, boards: [], exitCode: 0, timeoutSeconds: defaultTimeoutSeconds, icount: false });
    expect(c!.expected!.text).toBe('x\n');
  });

  it('takes a recipe of its own, as a file or a folder, and an expected file by name, relative to the case', () => {
    const p = project({ 'own.toml': 'recipe = "own"\nexpected = "shared.out"\n', 'shared.out': 'y\n' });
    writeFileSync(join(p.testDir, 'own', 'bento.toml'), 'name = "own"\n');
    const [c] = loadCases(p.testDir, ['own'], p.recipe);
    expect(c!.recipe).toBe(join(p.testDir, 'own', 'bento.toml'));
    expect(c!.recipeLocation).toMatchObject({ line: 1, column: 10 });
    expect(c!.expected).toEqual({ file: join(p.testDir, 'shared.out'), text: 'y\n' });
  });

  it('reports every mistake of every case at once, each at its line and column', () => {
    const p = project({
      'a.toml': 'boards = ["m4"]\nexit_code = 1\n',
      'b.toml': 'boards = []\n',
      'c.toml': 'recipe = "nowhere.toml"\nexpected = "missing.txt"\n',
      'd.toml': 'boards = "m4"\nexit-code = 300\ntimeout = 30\n',
    });
    const found = diagnostics(() => loadCases(p.testDir, ['a', 'b', 'c', 'd'], p.recipe));
    const at = (d: (typeof found)[number]) => `${d.code} ${d.location?.file.replace(p.testDir + '/', '')}:${d.location?.line}:${d.location?.column}`;
    expect(found.map(at)).toEqual([
      'B1001 a.toml:2:1',
      'B1004 b.toml:1:10',
      'B1007 c.toml:1:10',
      'B1007 c.toml:2:12',
      'B1002 d.toml:1:10',
      'B1004 d.toml:2:13',
      'B1002 d.toml:3:11',
    ]);
    expect(found[0]!.hint).toBe("did you mean 'exit-code'?");
  });

  it("says when a case builds the project's recipe and there is none", () => {
    const p = project({ 'x.expected': '' });
    const [d] = diagnostics(() => loadCases(p.testDir, ['x'], join(p.dir, 'missing.toml')));
    expect(d).toMatchObject({ code: 'B1007', location: { file: join(p.testDir, 'x.expected') } });
    expect(d!.hint).toMatch(/--recipe/);
  });

  it('reports a TOML syntax error with its place', () => {
    const p = project({ 'x.toml': 'boards = ["m4"\n' });
    const [d] = diagnostics(() => loadCases(p.testDir, ['x'], p.recipe));
    expect(d).toMatchObject({ code: 'B1005', location: { file: join(p.testDir, 'x.toml'), line: 2 } });
  });
});
