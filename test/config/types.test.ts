import { describe, expect, it } from 'vitest';
import { BentoError } from '../../src/diagnostics/error.js';
import type { Diagnostic } from '../../src/diagnostics/error.js';
import { parseSignature } from '../../src/config/signature.js';
import { cField, parseTypes } from '../../src/config/types.js';

const at = (line: number) => ({ file: 'bento.toml', line, column: 10 });
const written = (entries: Record<string, string>) => Object.entries(entries).map(([name, text], i) => ({ name, text, location: at(i + 1), keyLocation: { file: 'bento.toml', line: i + 1, column: 1 } }));

function problems(entries: Record<string, string>): readonly Diagnostic[] {
  try {
    parseTypes(written(entries));
  } catch (err) {
    expect(err).toBeInstanceOf(BentoError);
    return (err as BentoError).diagnostics;
  }
  return expect.unreachable('the types parsed');
}

describe('[types]: structs', () => {
  it('lays fields out as C does on wasm32 and Arm: natural alignment, padding, nested structs and arrays', () => {
    const types = parseTypes(written({ info: 'struct { u8 type; u32 size; u8[5] name }', rec: 'struct { info a, i64 stamp, bool ok, u16[2][3] grid, f64 x }' }));
    const info = types.get('info')!;
    expect(info).toMatchObject({ kind: 'struct', bytes: 16, align: 4 });
    if (info.kind !== 'struct') throw new Error('not a struct');
    expect(info.fields.map((f) => [f.name, f.offset, f.bytes])).toEqual([
      ['type', 0, 1],
      ['size', 4, 4],
      ['name', 8, 5],
    ]);
    const rec = types.get('rec')!;
    if (rec.kind !== 'struct') throw new Error('not a struct');
    expect(rec.fields.map((f) => [f.name, f.offset])).toEqual([
      ['a', 0],
      ['stamp', 16],
      ['ok', 24],
      ['grid', 26],
      ['x', 40],
    ]);
    expect(rec).toMatchObject({ bytes: 48, align: 8 });
    expect(rec.fields.map(cField)).toEqual(['info a', 'int64_t stamp', 'bool ok', 'uint16_t grid[2][3]', 'double x']);
  });

  it('are declared in any order and used by pointer in signatures, with their size as the range', () => {
    const types = parseTypes(written({ outer: 'struct { inner i, u32 n }', inner: 'struct { u64 v }' }));
    expect(types.get('outer')).toMatchObject({ bytes: 16, align: 8 });
    const sig = parseSignature('fn(const outer* o, mut inner[n] xs, usize n) -> err', undefined, types);
    expect(sig.params.map((p) => (p.type.kind === 'pointer' || p.type.kind === 'array' ? p.type.element : undefined))).toEqual([
      { name: 'outer', bytes: 16, c: 'outer' },
      { name: 'inner', bytes: 8, c: 'inner' },
      undefined,
    ]);
  });

  it.each([
    ['a struct by value', { s: 'struct { u32 a }' }, 'fn(s x)', /passed by pointer/],
    ['a callback through a pointer', { cb: 'fn()' }, 'fn(const cb* p)', /by value/],
    ['a struct result', { s: 'struct { u32 a }' }, 'fn() -> s', /not struct 's'/],
  ])('refuses %s', (_, entries, text, message) => {
    const types = parseTypes(written(entries));
    expect(() => parseSignature(text, undefined, types)).toThrow(message);
  });

  it.each([
    ['a struct containing itself', { loop: 'struct { loop next, u32 v }' }, /contains itself/],
    ['an unknown field type', { s: 'struct { u33 a }' }, /unknown type 'u33'.*/],
    ['a field without a name', { s: 'struct { u32 }' }, /not 'type name'/],
    ['a callback field', { cb: 'fn()', s: 'struct { cb f }' }, /callbacks are passed as parameters/],
    ['a zero-length array', { s: 'struct { u8[0] a }' }, /at least 1/],
    ['a duplicate field', { s: 'struct { u8 a, u8 a }' }, /declared twice/],
    ['no fields', { s: 'struct { }' }, /at least one field/],
    ['something else', { s: 'union { u8 a }' }, /no struct, handle or callback/],
    ['a primitive name', { u32: 'handle' }, /cannot name a type/],
    ['a handle of 300 slots', { h: 'handle[300]' }, /1 <= N <= 255/],
    ['a bad callback', { cb: 'fn(u33)' }, /unknown type 'u33'/],
  ])('refuses %s, at its place', (_, entries, message) => {
    const ds = problems(entries);
    expect(ds[0]!.message).toMatch(message);
    expect(ds[0]!.location?.file).toBe('bento.toml');
  });

  it('points at the field within the string', () => {
    const [d] = problems({ s: 'struct { u32 a, u33 b }' });
    expect(d!.location).toEqual({ file: 'bento.toml', line: 1, column: 10 + 16 });
  });
});

describe('[types]: handles and callbacks', () => {
  it('give handles a capacity and callbacks a signature that may use the other types', () => {
    const types = parseTypes(written({ file: 'handle', dir: 'handle[40]', visit: 'fn(file f, const info* i, visit next) -> err', info: 'struct { u32 n }' }));
    expect(types.get('file')).toEqual({ kind: 'handle', name: 'file', capacity: 16 });
    expect(types.get('dir')).toEqual({ kind: 'handle', name: 'dir', capacity: 40 });
    const visit = types.get('visit')!;
    if (visit.kind !== 'callback') throw new Error('not a callback');
    expect(visit.signature.params.map((p) => p.type.kind)).toEqual(['handle', 'pointer', 'callback']);
  });
});
