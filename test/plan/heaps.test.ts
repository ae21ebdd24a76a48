// Heaps too small for the C library (src/plan/heaps.ts): a host heap below what newlib's first
// printf takes, and a native box's heap service with no heap to hand out, are refused at their
// recipe lines with the numbers; the libc key is a native box's only.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRecipe } from '../../src/config/recipe.js';
import { BentoError } from '../../src/diagnostics/error.js';
import { boxServiceHeap, checkHeaps, heapProblems, hostPrintfHeap } from '../../src/plan/heaps.js';

function recipe(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'bento-heaps-'));
  for (const f of ['main.c', 'n.c', 'w.c']) writeFileSync(join(dir, f), '');
  writeFileSync(join(dir, 'bento.toml'), text);
  return loadRecipe(dir);
}

const host = (heap: string) => `name = "h"\n[host]\nsources = ["main.c"]\n${heap}\n`;
const nativeBox = (keys: string) => `\n[box.n]\nruntime = "native"\nsources = ["n.c"]\n${keys}\n`;

describe('heapProblems', () => {
  it.each([
    ['the default (64 KiB)', '', 0],
    [`exactly ${hostPrintfHeap} bytes`, `heap = ${hostPrintfHeap}`, 0],
    [`${hostPrintfHeap - 1} bytes`, `heap = ${hostPrintfHeap - 1}`, 1],
    ['none', 'heap = 0', 1],
  ])('a host heap of %s: %i problem(s)', (_, line, count) => {
    expect(heapProblems(recipe(host(line)))).toHaveLength(count);
  });

  it("locates a small host heap at its value, with newlib's number", () => {
    const [problem] = heapProblems(recipe(host('heap = "256"')));
    expect(problem!.code).toBe('B2001');
    expect(problem!.location).toMatchObject({ line: 4, column: 8 });
    expect(problem!.message).toContain(`is 256 bytes, but newlib's printf needs ${hostPrintfHeap} bytes`);
  });

  it('a native box with the heap service needs a heap to hand out; without the service it needs none', () => {
    expect(heapProblems(recipe(host('') + nativeBox('libc = ["printf"]')))).toEqual([]);
    expect(heapProblems(recipe(host('') + nativeBox(`libc = ["heap"]\nheap = ${boxServiceHeap}`)))).toEqual([]);
    const noHeap = heapProblems(recipe(host('') + nativeBox('libc = ["heap", "printf"]')));
    expect(noHeap.map((p) => [p.code, p.location?.line, p.location?.column])).toEqual([['B2001', 9, 8]]); // at the libc key's value
    const small = heapProblems(recipe(host('') + nativeBox(`libc = ["heap"]\nheap = ${boxServiceHeap - 8}`)));
    expect(small.map((p) => [p.code, p.location?.line, p.location?.column])).toEqual([['B2001', 10, 8]]); // at the heap key's value
    expect(small[0]!.message).toContain(`at least ${boxServiceHeap}`);
  });

  it('reports every problem at once', () => {
    const r = recipe(host('heap = 100') + nativeBox('libc = ["heap"]'));
    expect(() => checkHeaps(r)).toThrow(BentoError);
    try {
      checkHeaps(r);
    } catch (err) {
      expect((err as BentoError).diagnostics.map((d) => d.code)).toEqual(['B2001', 'B2001']);
    }
  });
});

describe('the libc key', () => {
  it('is read in bento order, without repeats', () => {
    const r = recipe(host('') + nativeBox('libc = ["printf", "heap", "printf"]\nheap = 64'));
    expect(r.boxes[0]!.libc).toEqual(['heap', 'printf']);
  });

  it('names only known services, with a did-you-mean', () => {
    expect(() => recipe(host('') + nativeBox('libc = ["heep"]'))).toThrow(/'heep', expected one of 'heap', 'printf'/);
  });

  it("is a native box's only", () => {
    try {
      recipe(host('') + '\n[box.w]\nruntime = "wasm"\nsources = ["w.c"]\nlibc = ["printf"]\n');
      expect.unreachable();
    } catch (err) {
      expect((err as BentoError).diagnostics.map((d) => [d.code, d.location?.line])).toEqual([['B1004', 9]]);
    }
  });
});
