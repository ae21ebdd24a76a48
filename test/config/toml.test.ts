import { describe, expect, it } from 'vitest';
import { BentoError } from '../../src/diagnostics/error.js';
import { parseToml } from '../../src/config/toml.js';

describe('parseToml', () => {
  const text = ['name = "x"', '[memory.code]', 'origin = 0x0', '', '[[boxes]]', 'name = "a"', '[[boxes]]', '  name = "b"', 'opts = { size = 4, list = [1, 2] }'].join('\n');
  const doc = parseToml(text, 'f.toml');

  it('keeps the values', () => {
    expect(doc.data).toEqual({ name: 'x', memory: { code: { origin: 0 } }, boxes: [{ name: 'a' }, { name: 'b', opts: { size: 4, list: [1, 2] } }] });
  });

  it('records where each key is written, through headers, arrays of tables and inline tables', () => {
    expect(doc.keys.get('name')).toEqual({ file: 'f.toml', line: 1, column: 1 });
    expect(doc.keys.get('memory.code.origin')).toMatchObject({ line: 3, column: 1 });
    expect(doc.keys.get('boxes[0].name')).toMatchObject({ line: 6, column: 1 });
    expect(doc.keys.get('boxes[1].name')).toMatchObject({ line: 8, column: 3 });
    expect(doc.keys.get('boxes[1].opts.size')).toMatchObject({ line: 9, column: 10 });
    expect(doc.values.get('boxes[1].opts.list[1]')).toMatchObject({ line: 9, column: 31 });
  });

  it('reports syntax errors with line and column', () => {
    try {
      parseToml('a = 1\nb = \n', 'bad.toml');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(BentoError);
      expect((err as BentoError).diagnostics[0]).toMatchObject({ code: 'B1005', location: { file: 'bad.toml', line: 2, column: 5 } });
    }
  });

  it('reports a redefined key at the second definition', () => {
    expect(() => parseToml('a = 1\na = 2\n', 'dup.toml')).toThrow(BentoError);
    try {
      parseToml('a = 1\na = 2\n', 'dup.toml');
    } catch (err) {
      expect((err as BentoError).diagnostics[0]!.location).toMatchObject({ line: 2, column: 1 });
    }
  });
});
