import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRecipe } from '../../src/config/recipe.js';
import { BentoError } from '../../src/diagnostics/error.js';
import { resolveLinks } from '../../src/plan/links.js';

function recipe(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'bento-links-'));
  writeFileSync(join(dir, 'bento.toml'), text);
  for (const f of ['main.c', 'a.c', 'b.c']) writeFileSync(join(dir, f), '');
  return loadRecipe(dir);
}

const base = (hostImports: string, a: string, b: string) => `name = "t"
[host]
sources = ["main.c"]
${hostImports}
exports.log = "fn(const u8[n], usize n) -> err"

[box.a]
runtime = "wasm"
sources = ["a.c"]
${a}

[box.b]
runtime = "native"
sources = ["b.c"]
${b}
`;

function errors(text: string) {
  try {
    resolveLinks(recipe(text));
  } catch (err) {
    if (err instanceof BentoError) return err.diagnostics;
    throw err;
  }
  throw new Error('expected link errors');
}

describe('resolveLinks', () => {
  it('joins each import to the one export of another party', () => {
    const links = resolveLinks(
      recipe(base('imports.run = "fn(i32) -> err"', 'exports.run = "fn(i32) -> err"\nimports.filter = "fn(mut i32[n], usize n) -> err"\nimports.log = "fn(const u8[n], usize n) -> err"', 'exports.filter = "fn(mut i32[len], usize len) -> err"')),
    );
    expect(links.map((l) => `${l.importer} -> ${l.exporter}: ${l.name}`)).toEqual(['host -> a: run', 'a -> b: filter', 'a -> host: log']);
  });

  it('names both sides of a mistyped link, with where the export is', () => {
    const [d] = errors(base('imports.run = "fn(i32) -> err"', 'exports.run = "fn(i64) -> err"', ''));
    expect(d).toMatchObject({ code: 'B2005', location: { line: 4 } });
    expect(d!.message).toBe("the host imports 'run' as fn(i32) -> err32, but box a exports it as fn(i64) -> err32");
    expect(d!.hint).toMatch(/the export is at .*bento\.toml:10:/);
  });

  it('reports an unresolved import with a did-you-mean, and every problem at once', () => {
    const found = errors(base('imports.runn = "fn(i32) -> err"', 'exports.run = "fn(i32) -> err"\nimports.lgo = "fn(const u8[n], usize n) -> err"', ''));
    expect(found.map((d) => d.code)).toEqual(['B2003', 'B2003']);
    expect(found[0]!.message).toBe("the host imports 'runn', which neither the host nor any other box exports");
    expect(found[0]!.hint).toBe("did you mean 'run'?");
    expect(found[1]!.message).toContain("box a imports 'lgo'");
  });

  it('refuses an import two parties export', () => {
    const [d] = errors(base('imports.run = "fn(i32) -> err"', 'exports.run = "fn(i32) -> err"', 'exports.run = "fn(i32) -> err"'));
    expect(d).toMatchObject({ code: 'B2004' });
    expect(d!.message).toContain('box a and box b all export');
  });

  it('does not let a box import its own export', () => {
    const [d] = errors(base('', 'exports.run = "fn(i32) -> err"\nimports.run = "fn(i32) -> err"', ''));
    expect(d).toMatchObject({ code: 'B2003' });
  });
});
