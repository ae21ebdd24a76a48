import { describe, expect, it } from 'vitest';
import { functionSymbols, parseFunctionSymbol, symbolText } from '../../src/lower/names.js';
import type { WasmModule } from '../../src/wasm/types.js';

/** A module with one imported function and `defined` functions, named as `names` says (by function index). */
function moduleWith(defined: number, names: [number, string][]): WasmModule {
  return {
    file: 'm.wasm',
    types: [{ params: [], results: [] }],
    imports: [{ module: 'env', name: 'f', desc: { kind: 'func', typeIndex: 0 } }],
    funcTypes: Array.from({ length: defined }, () => 0),
    codes: [],
    tables: [],
    memories: [],
    globals: [],
    exports: [],
    elems: [],
    datas: [],
    funcNames: new Map(names),
  } as unknown as WasmModule;
}

describe('functionSymbols', () => {
  it('names a function <prefix>.<name> and leaves an unnamed one <prefix>_f<index>', () => {
    expect(functionSymbols(moduleWith(3, [[0, 'imported'], [1, 'lfs_dir_fetch'], [3, 'main']]), 'box_lfs')).toEqual(['box_lfs.lfs_dir_fetch', 'box_lfs_f2', 'box_lfs.main']);
  });

  it('adds the index to a name two functions share, also when only symbolText makes them equal', () => {
    expect(functionSymbols(moduleWith(4, [[1, 'helper'], [2, 'helper'], [3, 'a::b'], [4, 'a__b']]), 'box_x')).toEqual(['box_x.helper.1', 'box_x.helper.2', 'box_x.a__b.3', 'box_x.a__b.4']);
  });

  it('treats an empty name as no name', () => {
    expect(functionSymbols(moduleWith(1, [[1, '']]), 'p')).toEqual(['p_f1']);
  });
});

describe('symbolText', () => {
  it('keeps C identifiers and replaces everything else, so no name holds a dot', () => {
    expect(symbolText('lfs_dir_fetch')).toBe('lfs_dir_fetch');
    expect(symbolText('ns::f(int, char*)')).toBe('ns__f_int__char__');
    expect(symbolText('a.b.1')).toBe('a_b_1');
    expect(symbolText('größe')).toBe('gr__e');
  });
});

describe('parseFunctionSymbol', () => {
  it('reads back what functionSymbols makes', () => {
    expect(parseFunctionSymbol('box_lfs.lfs_dir_fetch')).toEqual({ prefix: 'box_lfs', name: 'lfs_dir_fetch', index: undefined });
    expect(parseFunctionSymbol('box_x.helper.12')).toEqual({ prefix: 'box_x', name: 'helper', index: 12 });
    expect(parseFunctionSymbol('box_my_box_f63')).toEqual({ prefix: 'box_my_box', index: 63 });
    expect(parseFunctionSymbol('main')).toBeUndefined();
  });
});
