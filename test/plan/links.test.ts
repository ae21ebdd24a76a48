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

describe('instances, qualified imports and callbacks', () => {
  const withInstances = (hostImports: string, extra = '') => `name = "t"
[types]
cb = "fn(u32 v) -> err"
[host]
sources = ["main.c"]
${hostImports}
exports.hear = "cb"
[box.a]
runtime = "wasm"
sources = ["a.c"]
instances = ["x", "y"]
exports.get = "fn() -> i32"
exports.poke = "fn(cb c) -> err"
[box.b]
runtime = "native"
sources = ["b.c"]
exports.get = "fn() -> i32"
${extra}
`;

  it('expands a box into its instances and joins "a.get" to each, with the instance as selector', () => {
    const r = recipe(withInstances('imports."a.get" = "fn() -> i32"\nimports."b.get" = "fn() -> i32"'));
    expect(r.boxes.map((b) => [b.name, b.instance?.of, b.instance?.index])).toEqual([
      ['a_x', 'a', 0],
      ['a_y', 'a', 1],
      ['b', undefined, undefined],
    ]);
    const links = resolveLinks(r).filter((l) => l.importer === 'host' && !l.selector?.type);
    expect(links.map((l) => [l.name, l.exportName, l.exporter, l.selector?.index])).toEqual([
      ['a_get', 'get', 'a_x', 0],
      ['a_get', 'get', 'a_y', 1],
      ['b_get', 'get', 'b', undefined],
    ]);
  });

  it('lets the host call every callback type, and a box the types its functions mention, never its own', () => {
    const links = resolveLinks(recipe(withInstances('')));
    const calls = links.filter((l) => l.selector?.kind === 'callback').map((l) => `${l.importer} -> ${l.exporter}.${l.exportName} #${l.selector!.index}`);
    expect(calls).toEqual(['host -> host.hear #0', 'a_x -> host.hear #0', 'a_y -> host.hear #0']);
  });

  it('says which import to write for a box with instances, and what is missing', () => {
    const [unqualified] = errors(withInstances('imports.poke = "fn(cb c) -> err"'));
    expect(unqualified!.hint).toBe('box a has instances, so name one: imports."a.poke" (the instance comes first in the call)');
    const [nobox] = errors(withInstances('imports."c.get" = "fn() -> i32"'));
    expect(nobox!.message).toBe("the host imports 'c.get', but there is no box c");
    const [nofn] = errors(withInstances('imports."a.gte" = "fn() -> i32"'));
    expect(nofn!.hint).toBe("did you mean 'a.get'?");
    const [mistyped] = errors(withInstances('imports."a.get" = "fn() -> u32"'));
    expect(mistyped!.code).toBe('B2005');
    const [clash] = errors(withInstances('imports."a.get" = "fn() -> i32"\nimports.a_get = "fn() -> i32"', 'exports.a_get = "fn() -> i32"'));
    expect(clash!.message).toBe("the host imports 'a_get' and 'a.get', which are both 'a_get' in C");
  });
});
