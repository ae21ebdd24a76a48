import { describe, expect, it } from 'vitest';
import type { CallGraph, FunctionNode } from '../../src/compile/call-graph.js';
import { measureNativeStack } from '../../src/compile/native-stack.js';

const fn = (frame: number | undefined, calls: string[] = [], more: Partial<FunctionNode> = {}): FunctionNode => ({ frame, calls, indirect: false, signatures: [], ...more });

function graph(functions: Record<string, FunctionNode>, globals: string[], funcrefs: CallGraph['funcrefs'] = []): CallGraph {
  return { functions: new Map(Object.entries(functions)), globals, funcrefs };
}

const noHelpers = () => undefined;

describe('measureNativeStack', () => {
  it('takes the deepest chain of frames from the entry points, plus the boundary, to 8 bytes', () => {
    const g = graph({ e: fn(16, ['a', 'b']), a: fn(40, ['c']), b: fn(8, ['c']), c: fn(24) }, ['e']);
    const r = measureNativeStack({ graph: g, external: noHelpers, boundary: 100 });
    expect(r).toEqual({ bounded: true, bytes: 184, deepest: ['e', 'a', 'c'] }); // 16+40+24+100 = 180 -> 184
  });

  it('takes the worst of several entry points', () => {
    const g = graph({ x: fn(8), y: fn(64, ['x']) }, ['x', 'y']);
    const r = measureNativeStack({ graph: g, external: noHelpers, boundary: 0 });
    expect(r.bounded && r.bytes).toBe(72);
  });

  it('adds what an external helper may take, and gives up on one it does not know', () => {
    const g = graph({ e: fn(16, ['memcpy']) }, ['e']);
    expect(measureNativeStack({ graph: g, external: (s) => (s === 'memcpy' ? 32 : undefined), boundary: 0 })).toMatchObject({ bounded: true, bytes: 48, deepest: ['e', 'memcpy'] });
    const r = measureNativeStack({ graph: g, external: noHelpers, boundary: 0 });
    expect(r.bounded).toBe(false);
    expect(!r.bounded && r.reason).toContain('memcpy');
  });

  it('finds recursion, direct and through other functions, and names the cycle', () => {
    const self = measureNativeStack({ graph: graph({ e: fn(8, ['f']), f: fn(8, ['f']) }, ['e']), external: noHelpers, boundary: 0 });
    expect(self).toEqual({ bounded: false, reason: 'recursion: f -> f' });
    const mutual = measureNativeStack({ graph: graph({ e: fn(8, ['a']), a: fn(8, ['b']), b: fn(8, ['a']) }, ['e']), external: noHelpers, boundary: 0 });
    expect(mutual).toEqual({ bounded: false, reason: 'recursion: a -> b -> a' });
  });

  it('has no bound for a frame of dynamic size', () => {
    const r = measureNativeStack({ graph: graph({ e: fn(undefined) }, ['e']), external: noHelpers, boundary: 0 });
    expect(r.bounded).toBe(false);
  });

  it('lets an indirect call reach the funcrefs of the signatures it compares against', () => {
    const funcrefs = [
      { signature: 'bento_sig_i_i', code: 'small' },
      { signature: 'bento_sig_ii_i', code: 'big' },
    ];
    const functions = { e: fn(8, [], { indirect: true, signatures: ['bento_sig_i_i'] }), small: fn(16), big: fn(400) };
    const typed = measureNativeStack({ graph: graph(functions, ['e'], funcrefs), external: noHelpers, boundary: 0 });
    expect(typed).toEqual({ bounded: true, bytes: 24, deepest: ['e', 'small'] });
    // Comparing against no signature, it may reach every funcref.
    const untyped = measureNativeStack({ graph: graph({ ...functions, e: fn(8, [], { indirect: true }) }, ['e'], funcrefs), external: noHelpers, boundary: 0 });
    expect(untyped).toEqual({ bounded: true, bytes: 408, deepest: ['e', 'big'] });
  });

  it('finds recursion through call_indirect', () => {
    const funcrefs = [{ signature: 'bento_sig_i_i', code: 'walk' }];
    const g = graph({ e: fn(8, ['walk']), walk: fn(16, [], { indirect: true, signatures: ['bento_sig_i_i'] }) }, ['e'], funcrefs);
    expect(measureNativeStack({ graph: g, external: noHelpers, boundary: 0 })).toEqual({ bounded: false, reason: 'recursion: walk -> walk' });
  });

  it('ignores what no entry point reaches, recursion included', () => {
    const g = graph({ e: fn(8), dead: fn(8, ['dead']) }, ['e']);
    expect(measureNativeStack({ graph: g, external: noHelpers, boundary: 0 })).toMatchObject({ bounded: true, bytes: 8 });
  });
});
