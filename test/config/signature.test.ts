import { describe, expect, it } from 'vitest';
import { BentoError } from '../../src/diagnostics/error.js';
import type { Diagnostic } from '../../src/diagnostics/error.js';
import { formatDiagnostic } from '../../src/diagnostics/print.js';
import {
  argumentWords,
  cPrototype,
  formatSignature,
  isFallible,
  parseSignature,
  pointerRanges,
  sameSignature,
} from '../../src/config/signature.js';
import type { Signature } from '../../src/config/signature.js';

/** The diagnostics a signature produces, or a failure if it parses. */
function problems(text: string, where?: { file: string; line?: number; column?: number }): readonly Diagnostic[] {
  try {
    parseSignature(text, where);
  } catch (err) {
    expect(err).toBeInstanceOf(BentoError);
    return (err as BentoError).diagnostics;
  }
  return expect.unreachable(`'${text}' parsed`);
}

/** Column (1-based, within the text) of each diagnostic, read back from the location. */
const columns = (ds: readonly Diagnostic[]) => ds.map((d) => d.location!.column! - 100 + 1);
const here = { file: 'bento.toml', line: 1, column: 100 };

describe('parseSignature: valid signatures', () => {
  // text, canonical form, C prototype of `f`, argument words
  const valid: [string, string, string, number][] = [
    ['fn(i32, const u8[size], usize size) -> errsize', 'fn(i32, const u8[size], usize size) -> errsize', 'ssize_t f(int32_t a0, const uint8_t *a1, size_t size)', 3],
    ['fn()', 'fn()', 'void f(void)', 0],
    ['fn() -> void', 'fn()', 'void f(void)', 0],
    ['fn(void)', 'fn()', 'void f(void)', 0],
    ['fn() -> noreturn', 'fn() -> noreturn', '_Noreturn void f(void)', 0],
    ['fn(err code) -> noreturn', 'fn(err32 code) -> noreturn', '_Noreturn void f(int32_t code)', 1],
    ['fn() -> err', 'fn() -> err32', 'int32_t f(void)', 0],
    ['fn() -> err64', 'fn() -> err64', 'int64_t f(void)', 0],
    ['fn() -> (bool)', 'fn() -> bool', 'bool f(void)', 0],
    ['fn() -> ()', 'fn()', 'void f(void)', 0],
    ['fn(i64, i64) -> i64', 'fn(i64, i64) -> i64', 'int64_t f(int64_t a0, int64_t a1)', 4],
    ['fn(i32, i64) -> u64', 'fn(i32, i64) -> u64', 'uint64_t f(int32_t a0, int64_t a1)', 4],
    ['fn(i64, i32, i32)', 'fn(i64, i32, i32)', 'void f(int64_t a0, int32_t a1, int32_t a2)', 4],
    ['fn(i32, i32, u64)', 'fn(i32, i32, u64)', 'void f(int32_t a0, int32_t a1, uint64_t a2)', 4],
    ['fn(f64 x, f32 y) -> f64', 'fn(f64 x, f32 y) -> f64', 'double f(double x, float y)', 3],
    ['fn(bool, i8, i16, isize) -> usize', 'fn(bool, i8, i16, isize) -> usize', 'size_t f(bool a0, int8_t a1, int16_t a2, ssize_t a3)', 4],
    ['fn(u8, u16, u32) -> f32', 'fn(u8, u16, u32) -> f32', 'float f(uint8_t a0, uint16_t a1, uint32_t a2)', 3],
    ['fn(mut u8[len] buf, usize len) -> errsize', 'fn(mut u8[len] buf, usize len) -> errsize', 'ssize_t f(uint8_t *buf, size_t len)', 2],
    ['fn(usize n, const f64[n] xs, mut f64[n] ys)', 'fn(usize n, const f64[n] xs, mut f64[n] ys)', 'void f(size_t n, const double *xs, double *ys)', 3],
    ['fn(nullable const u8[16] key)', 'fn(nullable const u8[16] key)', 'void f(const uint8_t *key)', 1],
    ['fn(nullable mut i32* out) -> err', 'fn(nullable mut i32* out) -> err32', 'int32_t f(int32_t *out)', 1],
    ['fn(mut err64* out) -> errsize', 'fn(mut err64* out) -> errsize', 'ssize_t f(int64_t *out)', 1],
    ['fn(buf: mut u32[n], n: u16) -> bool', 'fn(mut u32[n] buf, u16 n) -> bool', 'bool f(uint32_t *buf, uint16_t n)', 2],
    ['  fn ( const  i16 * p , u8 ) ->  u8  ', 'fn(const i16* p, u8) -> u8', 'uint8_t f(const int16_t *p, uint8_t a1)', 2],
    ['fn(const u8[0x20] a, const u8[0X20] b) -> err32', 'fn(const u8[32] a, const u8[32] b) -> err32', 'int32_t f(const uint8_t *a, const uint8_t *b)', 2],
    ['fn(const u8 [ n ] s,i8 n)->i8', 'fn(const u8[n] s, i8 n) -> i8', 'int8_t f(const uint8_t *s, int8_t n)', 2],
    ['fn(i32, i32 a0)', 'fn(i32, i32 a0)', 'void f(int32_t a0_, int32_t a0)', 2],
    ['fn(const bool[4] flags, mut u64* out)', 'fn(const bool[4] flags, mut u64* out)', 'void f(const bool *flags, uint64_t *out)', 2],
    ['fn(f64 x, f64 y) -> f64', 'fn(f64 x, f64 y) -> f64', 'double f(double x, double y)', 4],
  ];

  it.each(valid)('%s', (text, canonical, prototype, words) => {
    const sig = parseSignature(text);
    expect(formatSignature(sig)).toBe(canonical);
    expect(parseSignature(canonical)).toEqual(sig);
    expect(formatSignature(parseSignature(canonical))).toBe(canonical);
    expect(cPrototype(sig, 'f')).toBe(prototype);
    expect(argumentWords(sig)).toBe(words);
  });

  it('builds the typed tree', () => {
    expect(parseSignature('fn(i32, nullable const u8[size], usize size) -> errsize')).toEqual({
      params: [
        { type: { kind: 'primitive', primitive: 'i32' } },
        { type: { kind: 'array', access: 'const', nullable: true, element: { name: 'u8', bytes: 1, c: 'uint8_t' }, length: { kind: 'param', name: 'size', index: 2 } } },
        { name: 'size', type: { kind: 'primitive', primitive: 'usize' } },
      ],
      result: 'errsize',
    });
    expect(parseSignature('fn(mut f32* x, const u16[3] v)').params.map((p) => p.type)).toEqual([
      { kind: 'pointer', access: 'mut', nullable: false, element: { name: 'f32', bytes: 4, c: 'float' } },
      { kind: 'array', access: 'const', nullable: false, element: { name: 'u16', bytes: 2, c: 'uint16_t' }, length: { kind: 'const', n: 3 } },
    ]);
  });
});

describe('isFallible', () => {
  it.each([
    ['fn() -> err', true],
    ['fn() -> err32', true],
    ['fn() -> err64', true],
    ['fn() -> errsize', true],
    ['fn() -> i32', false],
    ['fn()', false],
    ['fn() -> noreturn', false],
  ] as const)('%s -> %s', (text, fallible) => {
    expect(isFallible(parseSignature(text))).toBe(fallible);
  });
});

describe('pointerRanges', () => {
  it('names the parameter or constant that bounds each pointer, with the element size', () => {
    expect(pointerRanges(parseSignature('fn(u16 n, const u32[n] words, nullable mut u8[64] scratch, mut f64* out) -> err'))).toEqual([
      { param: 1, name: 'words', access: 'const', nullable: false, elementSize: 4, length: { kind: 'param', index: 0, name: 'n', type: 'u16' } },
      { param: 2, name: 'scratch', access: 'mut', nullable: true, elementSize: 1, length: { kind: 'const', n: 64 } },
      { param: 3, name: 'out', access: 'mut', nullable: false, elementSize: 8, length: { kind: 'const', n: 1 } },
    ]);
    expect(pointerRanges(parseSignature('fn(i32 x, const i16[len] s, isize len)'))).toEqual([
      { param: 1, name: 's', access: 'const', nullable: false, elementSize: 2, length: { kind: 'param', index: 2, name: 'len', type: 'isize' } },
    ]);
  });

  it('is empty without pointers', () => {
    expect(pointerRanges(parseSignature('fn(i32, u64) -> i32'))).toEqual([]);
  });

  it('leaves out the name of an unnamed pointer', () => {
    expect(pointerRanges(parseSignature('fn(const u8[n], usize n)'))[0]).not.toHaveProperty('name');
  });
});

describe('sameSignature', () => {
  it.each([
    ['fn(i32 a, const u8[n] b, usize n) -> err', 'fn(i32, const u8[size] buf, usize size) -> err32', true],
    ['fn(x: u8)', 'fn(u8 y)', true],
    ['fn(void)', 'fn() -> void', true],
    ['fn(i32)', 'fn(u32)', false],
    ['fn(i32)', 'fn(i32) -> i32', false],
    ['fn(i32)', 'fn(i32, i32)', false],
    ['fn(const u8* p)', 'fn(mut u8* p)', false],
    ['fn(const u8* p)', 'fn(nullable const u8* p)', false],
    ['fn(const u8* p)', 'fn(const u8[1] p)', false],
    ['fn(const u8* p)', 'fn(const i8* p)', false],
    ['fn(const u8[4] p)', 'fn(const u8[5] p)', false],
    ['fn(const u8[n], usize n, usize m)', 'fn(const u8[m], usize n, usize m)', false],
    ['fn(const u8[4] p, usize n)', 'fn(const u8[n] p, usize n)', false],
    ['fn() -> err', 'fn() -> err64', false],
  ] as const)('%s ~ %s: %s', (a, b, same) => {
    expect(sameSignature(parseSignature(a), parseSignature(b))).toBe(same);
    expect(sameSignature(parseSignature(b), parseSignature(a))).toBe(same);
  });

  it('compares hand-built trees', () => {
    const sig: Signature = { params: [{ type: { kind: 'primitive', primitive: 'u8' } }], result: 'void' };
    expect(sameSignature(sig, parseSignature('fn(u8 anything)'))).toBe(true);
  });
});

describe('parseSignature: errors', () => {
  // text, column of each problem within the text, a hint to expect on the first (if any)
  const errors: [string, string, number[], RegExp?][] = [
    ['missing const/mut on a pointer', 'fn(u8* p)', [4], /'const u8\*'.*'mut u8\*'/],
    ['missing const/mut on an array', 'fn(u8[n] p, usize n)', [4], /'const u8\[...\]'/],
    ['missing const/mut after nullable', 'fn(nullable u8* p)', [13]],
    ['unknown type u33', 'fn(i32, u33)', [9], /did you mean 'u32'/],
    ['unknown type usise', 'fn(usise n)', [4], /did you mean 'usize'/],
    ['a C type name', 'fn(uint32_t x)', [4], /did you mean 'u32'/],
    ['a C int', 'fn(int x)', [4], /did you mean 'i32'/],
    ['an unknown type far from any', 'fn(banana)', [4], /the types are bool, i8/],
    ['an unknown result', 'fn() -> viod', [9], /did you mean 'void'/],
    ['an unknown element', 'fn(const u9[4] x)', [10], /did you mean 'u8'/],
    ['length naming a missing parameter', 'fn(const u8[sise] buf, usize size)', [13], /did you mean 'size'/],
    ['length naming nothing close', 'fn(const u8[count] buf)', [13], /usize count/],
    ['length naming a pointer', 'fn(const u8[buf] buf)', [13]],
    ['length naming a float', 'fn(const u8[f] buf, f32 f)', [13]],
    ['length naming an err', 'fn(const u8[e] buf, err e)', [13]],
    ['length naming a bool', 'fn(const u8[b] buf, bool b)', [13]],
    ['thirty-three words', `fn(${Array(33).fill('i32').join(', ')})`, [4 + 32 * 5], /struct/],
    ['a 64-bit value past word 32', `fn(${Array(31).fill('i32').join(', ')}, i64)`, [4 + 31 * 5], /struct/],
    ['seventeen buffers', `fn(${Array(17).fill('const u8[4]').join(', ')})`, [4 + 16 * 13], /struct/],
    ['a pointer result', 'fn() -> const u8*', [9], /'mut T\*'/],
    ['a bare pointer result', 'fn() -> u8*', [9]],
    ['an array result', 'fn() -> mut u8[4]', [9]],
    ['an array result without access', 'fn() -> u8[4]', [9]],
    ['two results', 'fn(i32) -> (i32, i32)', [16]],
    ['two results without parentheses', 'fn(i32) -> i32, i32', [15]],
    ['garbage', 'hello', [1], /fn\(/],
    ['nothing', '', [1]],
    ['only spaces', '   ', [4]],
    ['no parenthesis', 'fn i32', [4]],
    ['unclosed parameters', 'fn(i32', [7]],
    ['trailing text', 'fn(i32) -> i32 extra', [16]],
    ['a result without an arrow', 'fn(i32) i32', [9], /'-> i32'/],
    ['a stray character', 'fn(i32 $x)', [8]],
    ['a C reference', 'fn(i32 &x)', [8], /'mut T\*'/],
    ['an arrow without a result', 'fn(i32) ->', [11]],
    ['a lone minus', 'fn(i32) - i32', [9]],
    ['an empty parameter', 'fn(,)', [4]],
    ['a trailing comma', 'fn(i32,)', [8]],
    ['a duplicate name', 'fn(i32 a, i32 a)', [15]],
    ['const on a value', 'fn(const i32 x)', [4], /'const i32\*'/],
    ['mut on a value', 'fn(mut u8 x)', [4]],
    ['nullable on a value', 'fn(nullable i32)', [4]],
    ['nullable after const', 'fn(const nullable u8* p)', [10], /nullable const/],
    ['a zero length', 'fn(const u8[0] x)', [13]],
    ['a length past 4 GiB', 'fn(const u32[0x40000000] x)', [14]],
    ['a malformed length', 'fn(const u8[08] x)', [13]],
    ['a missing length', 'fn(const u8[] p)', [13]],
    ['a keyword length', 'fn(const u8[usize] p)', [13]],
    ['an unclosed length', 'fn(const u8[4 p)', [15]],
    ['a pointer to a pointer', 'fn(const u8** p)', [13]],
    ['a void pointer', 'fn(const void* p)', [10], /u8/],
    ['void among parameters', 'fn(i32, void)', [9]],
    ['a named void', 'fn(void x)', [4]],
    ['noreturn as a parameter', 'fn(noreturn)', [4]],
    ['a C keyword as a name', 'fn(i32 int)', [8]],
    ['a reserved C name', 'fn(i32 __x)', [8]],
    ['two types in a row', 'fn(i32 i32)', [8]],
    ['a name before its type', 'fn(size usize)', [4], /'usize size' or 'size: usize'/],
    ['a second name', 'fn(x: i32 y)', [11]],
    ['every recoverable problem at once', 'fn(u8* a, u33 b, const u8[n] c)', [4, 11, 27]],
  ];

  it.each(errors)('%s: %s', (_, text, cols, hint) => {
    const ds = problems(text, here);
    expect(ds.map((d) => d.code)).toEqual(cols.map(() => 'B1008'));
    expect(columns(ds)).toEqual(cols);
    ds.forEach((d, i) => expect(d.message).toContain(`column ${cols[i]}`));
    if (hint) expect(ds[0]!.hint).toMatch(hint);
  });

  it('places the error in the TOML file: the string\'s column plus the offset within it', () => {
    const [d] = problems('fn(i32, u33)', { file: 'bento.toml', line: 7, column: 12 });
    expect(d).toMatchObject({ code: 'B1008', location: { file: 'bento.toml', line: 7, column: 20 } });
    expect(formatDiagnostic(d!)).toBe("bento.toml:7:20: error[B1008]: unknown type 'u33' at column 9\n  hint: did you mean 'u32'?");
  });

  it('keeps the file when the caller knows no line or column', () => {
    expect(problems('fn(u8* p)', { file: 'bento.toml' })[0]!.location).toEqual({ file: 'bento.toml' });
    expect(problems('fn(u8* p)')[0]!.location).toBeUndefined();
  });

  it('takes more than four words: 64-bit values anywhere, in even-odd pairs', () => {
    const sig = parseSignature('fn(u32 block, u32 off, mut u8[size] buf, usize size, i64 when, f64 x, u8 last) -> err');
    expect(argumentWords(sig)).toBe(9);
  });

  it('does not count words when a type is already wrong', () => {
    expect(problems('fn(i64, i64, u33)').length).toBe(1);
  });
});
