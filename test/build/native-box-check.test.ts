// The native box checks on what clang-14 really emits for the boards' flags, and on the
// section tables and symbol lists they read.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/config/board.js';
import { loadRecipe } from '../../src/config/recipe.js';
import { boardCFlags } from '../../src/compile/native-c.js';
import { renderBoxHeaders } from '../../src/glue/box-glue.js';
import { callbackTypes, resolveLinks } from '../../src/plan/links.js';
import { bentoRoot } from '../../src/paths.js';
import { classifySection, foreignExports, includesBoxHeader, parseSectionTable, parseUndefined, sectionProblems, symbolProblems } from '../../src/build/native-box-check.js';

const dir = mkdtempSync(join(tmpdir(), 'bento-native-check-'));

/** Compiles C for a board as bento compiles a box, and returns `readelf -S -W` of the object. */
function sectionsOf(board: string, source: string, extra: readonly string[] = []): string {
  const c = join(dir, `t${Math.random().toString(36).slice(2)}.c`);
  writeFileSync(c, source);
  const flags = boardCFlags(loadBoard(join(bentoRoot, 'boards', `${board}.toml`)));
  execFileSync('clang-14', [...flags, '-O2', '-g', '-Wall', ...extra, '-c', c, '-o', `${c}.o`], { stdio: 'pipe' });
  return execFileSync('arm-none-eabi-readelf', ['-S', '-W', `${c}.o`], { encoding: 'utf8' });
}

const verdicts = (text: string) => {
  const table = parseSectionTable(text);
  if (!table.ok) throw new Error(table.reason);
  return Object.fromEntries(table.sections.filter((s) => classifySection(s) !== 'allowed').map((s) => [s.name, classifySection(s)]));
};

const ordinary = `#include <stdint.h>
#include <string.h>
static const char greeting[] = "hello";
static int32_t counter = 3;
int32_t zeroed[16];
double scale(double x, int64_t d) { return x / (double)(d / 3); }
int32_t step(const char *s) { memcpy(zeroed, s, 8); switch (counter++) { case 0: return 1; case 1: return 7; case 2: return 9; case 3: return 11; default: return (int32_t)strlen(greeting); } }
`;

describe.each(['m4', 'm7'])('sections clang-14 emits on %s', (board) => {
  it('ordinary C passes, with and without -ffunction-sections', () => {
    expect(verdicts(sectionsOf(board, ordinary))).toEqual({});
    expect(verdicts(sectionsOf(board, ordinary, ['-fno-function-sections', '-fno-data-sections']))).toEqual({});
    expect(verdicts(sectionsOf(board, ordinary, ['-g0', '-fcommon']))).toEqual({});
  });

  it('constructors, destructors, bento sections and unknown sections are refused', () => {
    const text = sectionsOf(
      board,
      `__attribute__((constructor)) static void a(void) {}
__attribute__((destructor)) static void b(void) {}
__attribute__((constructor(101))) static void c(void) {}
__attribute__((section(".ramfunc"))) int fast(int x) { return x + 1; }
__attribute__((section(".vectors"))) const int v = 1;
__attribute__((section(".box_other_data"))) int w = 2;
__attribute__((used, section(".preinit_array"))) static void (*const p)(void) = a;
_Thread_local int t;
int get(void) { return t; }
`,
    );
    expect(verdicts(text)).toEqual({
      '.init_array': 'constructor',
      '.init_array.101': 'constructor',
      '.fini_array': 'constructor',
      '.preinit_array': 'constructor',
      '.ramfunc': 'unknown',
      '.vectors': 'reserved',
      '.box_other_data': 'reserved',
      '.tbss.t': 'unknown',
    });
  });

  it('a section name with a space makes the table unreadable, so the object is refused', () => {
    const table = parseSectionTable(sectionsOf(board, '__asm__(".section \\".text x\\",\\"aw\\"\\n.word 1\\n");\n'));
    expect(table.ok).toBe(false);
  });
});

describe('classifySection', () => {
  const s = (name: string, type: string, flags: string) => classifySection({ index: 3, name, type, flags });
  it.each([
    ['.text.f', 'PROGBITS', 'AX', 'allowed'],
    ['.textual', 'PROGBITS', 'AX', 'unknown'],
    ['.rodata.str1.1', 'PROGBITS', 'AMS', 'allowed'],
    ['.bss.x', 'NOBITS', 'WA', 'allowed'],
    ['.data.x', 'INIT_ARRAY', 'WA', 'constructor'],
    ['.ARM.exidx.text.f', 'ARM_EXIDX', 'AL', 'allowed'],
    ['.debug_info', 'PROGBITS', '', 'allowed'],
    ['.debug_evil', 'PROGBITS', 'WA', 'unknown'],
    ['.comment', 'PROGBITS', 'WA', 'unknown'],
    ['.rel.text.f', 'REL', 'I', 'allowed'],
    ['.rel.text.f', 'REL', 'AI', 'unknown'],
    ['.ctors', 'PROGBITS', 'WA', 'constructor'],
    ['.init', 'PROGBITS', 'AX', 'constructor'],
    ['.stack', 'NOBITS', 'WA', 'reserved'],
    ['.heap', 'NOBITS', 'WA', 'reserved'],
    ['.linear_memory', 'NOBITS', 'WA', 'reserved'],
    ['.bss.x', 'NOBITS', 'WAT', 'unknown'],
    ['.note.gnu.build-id', 'NOTE', 'A', 'unknown'],
  ])('%s %s %s is %s', (name, type, flags, verdict) => {
    expect(s(name, type, flags)).toBe(verdict);
  });
});

describe('parseSectionTable', () => {
  it('refuses a table whose count does not match', () => {
    const text = 'There are 3 section headers, starting at offset 0x1:\n\nSection Headers:\n  [Nr] Name Type\n  [ 0]                   NULL            00000000 000000 000000 00      0   0  0\n';
    expect(parseSectionTable(text).ok).toBe(false);
  });
});

describe('sectionProblems', () => {
  it('locates each refused section at its source, constructors with their own hint', () => {
    const table = parseSectionTable(sectionsOf('m4', '__attribute__((constructor)) static void evil(void) { *(volatile unsigned *)0xE000ED94 = 0; }\n'));
    const problems = sectionProblems('evil', '/p/evil.c', table);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'B2007', location: { file: '/p/evil.c', context: 'section .init_array' }, hint: 'do the initialisation in an exported function the host calls first' });
  });
});

describe('undefined symbols', () => {
  const project = mkdtempSync(join(tmpdir(), 'bento-native-check-recipe-'));
  writeFileSync(
    join(project, 'bento.toml'),
    `name = "p"
[host]
sources = ["main.c"]
imports.ping = "fn(i32 x) -> err"
exports.log_line = "fn(const u8[len], usize len) -> err"

[box.n]
runtime = "native"
sources = ["a.c", "b.c"]
exports.ping = "fn(i32 x) -> err"
imports.log_line = "fn(const u8[len], usize len) -> err"

[box.other]
runtime = "native"
sources = ["o.c"]
exports.secret = "fn(u32 key) -> u32"
imports.log_line = "fn(const u8[len], usize len) -> err"
`,
  );
  for (const f of ['main.c', 'a.c', 'b.c', 'o.c']) writeFileSync(join(project, f), '');
  const recipe = loadRecipe(project);
  const box = recipe.boxes.find((b) => b.name === 'n')!;
  const headers = renderBoxHeaders({ boxes: recipe.boxes, links: resolveLinks(recipe), types: recipe.types, callbacks: callbackTypes(recipe), inputs: [] });
  const headerDir = join(project, 'include');
  execFileSync('mkdir', ['-p', headerDir]);
  writeFileSync(join(headerDir, 'bento_host.h'), headers.host);
  for (const [name, text] of headers.boxes) writeFileSync(join(headerDir, `bento_${name}.h`), text);

  it('reads the exports of the host and the other boxes from the headers', () => {
    const exported = foreignExports(headerDir, 'n');
    expect(exported.get('secret')).toEqual({ party: 'box other', signature: 'fn(u32 key) -> u32' });
    expect(exported.get('log_line')).toEqual({ party: 'the host', signature: 'fn(const u8[len], usize len) -> err32' });
    expect(exported.has('ping')).toBe(false);
  });

  it('allows imports, __box_abort, its heap bounds and pure helpers; refuses the rest with a hint each', () => {
    const [a, b] = box.sources;
    const undefinedSymbols = parseUndefined(
      [
        '         U __aeabi_uldivmod',
        '         U __box_abort',
        '         U __bento_box_n_heap_start',
        '         U box_n__import_log_line',
        `         U printf\t${a}:5`,
        '         U secret',
        '         w host_internal',
        '         U box_n__ping',
        '         U memcpy',
      ].join('\n'),
    );
    const problems = symbolProblems({
      box,
      undefined: undefinedSymbols,
      bySource: new Map([
        [a!, ['printf', 'secret', 'memcpy', 'log_line']],
        [b!, ['printf', 'host_internal', '__aeabi_uldivmod']],
      ]),
      exported: foreignExports(headerDir, 'n'),
    });
    expect(problems.map((p) => [p.code, p.location, p.hint])).toEqual([
      ['B2008', { file: a, line: 5, context: 'symbol printf' }, 'the C library\'s "printf" service provides it: add libc = ["printf"] to [box.n] (bento.toml:7:1)'],
      ['B2008', { file: a, context: 'symbol secret' }, 'box other exports it: add imports.secret = "fn(u32 key) -> u32" to [box.n] (bento.toml:7:1), and #include "bento_box.h" where it is called'],
      ['B2008', { file: b, context: 'symbol host_internal' }, "declare it in box.n.imports or define it in the box's sources"],
    ]);
    expect(problems[0]!.message).toBe("box n: a.c uses 'printf' (also b.c), which the box neither defines nor imports");
  });

  it('refuses an import called from a source without the box header, at the line of the call', () => {
    const [a, b] = box.sources;
    const check = (withoutHeader: string[]) =>
      symbolProblems({
        box,
        undefined: parseUndefined(`         U box_n__import_log_line\t${a}:9\n`),
        bySource: new Map([
          [a!, ['log_line']],
          [b!, []],
        ]),
        exported: foreignExports(headerDir, 'n'),
        withoutHeader: new Set(withoutHeader),
      });
    // b.c calls no import: without the header it is fine.
    expect(check([b!])).toEqual([]);
    expect(check([a!, b!])).toEqual([
      {
        code: 'B2008',
        location: { file: a, line: 9, context: 'symbol log_line' },
        message: "box n: a.c calls 'log_line', an import of the box, without the box's header, so the compiler took it for an ordinary external function, not the import",
        hint: '#include "bento_box.h" in a.c: it declares the box\'s imports as the recipe gives them (imports.log_line at bento.toml:11:20)',
      },
    ]);
  });

  it.each([
    ['a.o: /p/a.c /p/build/m4/glue/include/bento_n.h \\\n /usr/include/stdint.h\n', true],
    ['a.o: /p/a.c \\\n /p/build/m4/glue/include/bento_box.h\n', true],
    ['a.o: /p/a.c /p/build/m4/glue/include/bento_other.h /p/bento_n.c\n', false],
    ['a.o: /p/a.c\n', false],
  ])('a depfile naming the box header: %j -> %s', (depfile, found) => {
    expect(includesBoxHeader(depfile, 'n')).toBe(found);
  });
});
