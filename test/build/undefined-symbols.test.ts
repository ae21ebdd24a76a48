// How missing symbols at the box boundary are worded: who exports the symbol, the recipe line
// that would fix it, a did-you-mean, and the linker's other words kept after bento's.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRecipe } from '../../src/config/recipe.js';
import { boxImportHint, hostUndefined, importNamed, missingHeaderProblem, recipeExports, wasmBoxUndefined } from '../../src/build/undefined-symbols.js';

const dir = mkdtempSync(join(tmpdir(), 'bento-undefined-'));
writeFileSync(
  join(dir, 'bento.toml'),
  `name = "p"
[host]
sources = ["main.c"]
imports.ping = "fn(i32 x) -> err"
exports.log_line = "fn(const u8[len], usize len) -> err"

[host.interrupts.tick]
irq = 8
handler = "on_tick"

[box.w]
runtime = "wasm"
sources = ["w.c", "x.c"]
exports.ping = "fn(i32 x) -> err"
imports.smooth = "fn(i32 v) -> err"

[box.n]
runtime = "native"
sources = ["n.c"]
exports.smooth = "fn(i32 v) -> err"
exports.secret = "fn(u32 key) -> u32"
`,
);
for (const f of ['main.c', 'w.c', 'x.c', 'n.c']) writeFileSync(join(dir, f), '');
const recipe = loadRecipe(dir);
const exported = recipeExports(recipe);
const w = recipe.boxes.find((b) => b.name === 'w')!;
const at = (name: string) => join(dir, name);

describe('recipeExports', () => {
  it('lists the host and every box with the signature as written', () => {
    expect([...exported].map(([name, e]) => [name, e.party, e.text])).toEqual([
      ['log_line', 'the host', 'fn(const u8[len], usize len) -> err'],
      ['secret', 'box n', 'fn(u32 key) -> u32'],
      ['smooth', 'box n', 'fn(i32 v) -> err'],
      ['ping', 'box w', 'fn(i32 x) -> err'],
    ]);
  });
});

describe('boxImportHint', () => {
  it.each([
    ['log_line', 'the host exports it: add imports.log_line = "fn(const u8[len], usize len) -> err" to [box.w] (bento.toml:11:1), and #include "bento_box.h" where it is called'],
    ['secret', 'box n exports it: add imports.secret = "fn(u32 key) -> u32" to [box.w] (bento.toml:11:1), and #include "bento_box.h" where it is called'],
    // Imported, and still missing: the source did not include the box's header.
    ['smooth', '#include "bento_box.h" in a source of the box: it declares the box\'s imports as the recipe gives them (imports.smooth at bento.toml:15:18)'],
    ['smoth', "did you mean 'smooth'? (box.w.imports declares it)"],
    ['secert', "did you mean 'secret'? (box n exports it; add it to box.w.imports)"],
    ['ping', "define it in the box's sources, or export it from the host or another box and add it to box.w.imports (bento.toml:11:1)"],
    ['unrelated_name', "define it in the box's sources, or export it from the host or another box and add it to box.w.imports (bento.toml:11:1)"],
  ])('%s: %s', (symbol, hint) => {
    expect(boxImportHint(w, symbol, exported)).toBe(hint);
  });
});

describe('an import called without the box header', () => {
  it("finds a qualified import by its C name, and names it as the recipe writes it", () => {
    const box = { ...w, imports: new Map([...w.imports, ['volume.mount', { ...w.imports.get('smooth')!, location: { file: at('bento.toml'), line: 20, column: 1 } }]]) };
    expect(importNamed(box, 'volume_mount')).toBe('volume.mount');
    expect(importNamed(box, 'smooth')).toBe('smooth');
    expect(importNamed(box, 'volume')).toBeUndefined();
    expect(missingHeaderProblem(box, 'volume_mount', [at('lfs_glue.c')]).hint).toBe('#include "bento_box.h" in lfs_glue.c: it declares the box\'s imports as the recipe gives them (imports."volume.mount" at bento.toml:20:1)');
  });
});

describe('wasmBoxUndefined', () => {
  it('gives each symbol once, at the source of its object, and keeps the linker\'s other lines', () => {
    const problems = wasmBoxUndefined({
      box: w,
      report: {
        undefined: [
          { symbol: 'log_line', object: '/b/w.o' },
          { symbol: 'log_line', object: '/b/x.o' },
          { symbol: 'mystery', object: 'elsewhere.o' },
          { symbol: 'smooth', object: '/b/x.o' },
          { symbol: 'smooth', object: '/b/w.o' },
        ],
        rest: ['wasm-ld-14: warning: something else'],
      },
      sources: new Map([
        ['/b/w.o', at('w.c')],
        ['/b/x.o', at('x.c')],
      ]),
      exported,
    });
    expect(problems.map((p) => [p.code, p.location, p.message])).toEqual([
      ['B2009', { file: at('w.c'), context: 'symbol log_line' }, "box w: w.c uses 'log_line' (also x.c), which the box neither defines nor imports"],
      ['B2009', { file: 'elsewhere.o', context: 'symbol mystery' }, "box w: elsewhere.o uses 'mystery', which the box neither defines nor imports"],
      ['B2009', { file: at('x.c'), context: 'symbol smooth' }, "box w: x.c, w.c call 'smooth', an import of the box, without the box's header, so the compiler took it for an ordinary external function, not the import"],
      ['B5002', undefined, 'box w: linking its WebAssembly module failed; the linker also said:\nwasm-ld-14: warning: something else'],
    ]);
    expect(problems[2]!.hint).toBe('#include "bento_box.h" in x.c, w.c: it declares the box\'s imports as the recipe gives them (imports.smooth at bento.toml:15:18)');
  });
});

describe('hostUndefined', () => {
  const glueDir = join(dir, 'build', 'm4', 'glue');
  const run = (undefinedRefs: Parameters<typeof hostUndefined>[0]['report']['undefined']) =>
    hostUndefined({ recipe, report: { undefined: undefinedRefs, rest: [] }, sources: new Map([['/o/main.o', at('main.c')]]), glueDir });

  it('locates a host call at its line, with a did-you-mean over the boxes\' exports', () => {
    const [p, ...rest] = run([{ symbol: 'pnig', source: at('main.c'), line: 7, object: '/o/main.o', function: 'main' }]);
    expect(rest).toEqual([]);
    expect(p).toEqual({
      code: 'B2010',
      message: "main.c uses 'pnig' in main(), which neither the host's sources nor any box's exports define",
      location: { file: at('main.c'), line: 7, context: 'symbol pnig' },
      hint: "did you mean 'ping'? (box w exports it)",
    });
  });

  it('names the box that exports what the host did not import, and the recipe line to add', () => {
    const [p] = run([{ symbol: 'secret', object: '/o/main.o', function: 'main' }]);
    expect(p!.location).toEqual({ file: at('main.c'), context: 'symbol secret' });
    expect(p!.hint).toBe('box n exports it: add imports.secret = "fn(u32 key) -> u32" to [host] (bento.toml:2:1)');
  });

  it('a host without main() is told so at [host], not at the runtime that calls it', () => {
    const [p] = run([{ symbol: 'main', source: '/bento/runtime-c/startup/startup.c', line: 200, function: 'bento_reset' }]);
    expect(p).toMatchObject({ code: 'B2010', message: 'no host source defines main()', location: { file: join(dir, 'bento.toml'), line: 2, column: 1 } });
  });

  it('puts what the glue misses at the recipe: a host export or an interrupt handler no source defines', () => {
    const glue = join(glueDir, 'boxes.c');
    const [exp, handler, other] = run([
      { symbol: 'log_line', source: glue, line: 40 },
      { symbol: 'on_tick', source: join(glueDir, 'interrupts.c'), line: 9 },
      { symbol: 'bento_thing', source: glue, line: 50 },
    ]);
    expect(exp).toMatchObject({ code: 'B2010', location: { file: join(dir, 'bento.toml'), line: 5 }, message: "the recipe says the host exports 'log_line', but no host source defines it" });
    expect(handler).toMatchObject({ code: 'B2010', location: { line: 9, column: 11 }, hint: 'define void on_tick(void) in one of host.sources' });
    expect(other).toMatchObject({ code: 'B2010', location: { file: glue, context: 'symbol bento_thing' } });
  });
});
