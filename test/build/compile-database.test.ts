import { describe, expect, it } from 'vitest';
import { compileDatabase } from '../../src/build/compile-database.js';

const entry = (file: string, output: string, flag = '-O2') => ({ directory: '/p', file, arguments: ['clang-14', flag, '-c', file, '-o', output], output });

describe('compileDatabase', () => {
  it('sorts by file, then object, whatever order the compiles finished in', () => {
    const got = compileDatabase([entry('/p/z.c', '/b/z.o'), entry('/r/malloc.c', '/b/w2/malloc.o'), entry('/a/main.c', '/b/main.o'), entry('/r/malloc.c', '/b/w1/malloc.o')]);
    expect(got.map((e) => [e.file, e.output])).toEqual([
      ['/a/main.c', '/b/main.o'],
      ['/p/z.c', '/b/z.o'],
      ['/r/malloc.c', '/b/w1/malloc.o'],
      ['/r/malloc.c', '/b/w2/malloc.o'],
    ]);
  });

  it('keeps one entry per file and object: the last command given', () => {
    const got = compileDatabase([entry('/a/main.c', '/b/main.o', '-O0'), entry('/a/main.c', '/b/main.o', '-O2')]);
    expect(got).toEqual([entry('/a/main.c', '/b/main.o', '-O2')]);
  });
});
