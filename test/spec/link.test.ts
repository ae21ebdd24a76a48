import { describe, expect, it } from 'vitest';
import { exportTypes, externTypeMatches, linkImports, spectestExports } from '../../src/spec/link.js';
import type { ExportSource, ExternType } from '../../src/spec/link.js';
import type { Import, ImportDesc, WasmModule } from '../../src/wasm/types.js';

const func = (params: string[], results: string[] = []): ExternType => ({ kind: 'func', type: { params, results } as never });
const table = (min: number, max?: number, elem: 'funcref' | 'externref' = 'funcref'): ExternType => ({ kind: 'table', type: { elem, limits: { min, max } } });
const memory = (min: number, max?: number, pageSizeLog2 = 16): ExternType => ({ kind: 'memory', type: { limits: { min, max }, pageSizeLog2 } });
const global = (type: 'i32' | 'i64' | 'f32', mutable = false): ExternType => ({ kind: 'global', type: { type, mutable } });

describe('import subtyping', () => {
  it.each([
    ['equal function types', func(['i32'], ['i32']), func(['i32'], ['i32']), true],
    ['different parameters', func(['i32']), func(['i64']), false],
    ['different results', func([], ['i32']), func([]), false],
    ['a global of the same type', global('i32'), global('i32'), true],
    ['a global of another type', global('i64'), global('i32'), false],
    ['a mutable global for an immutable import', global('i32', true), global('i32'), false],
    ['an immutable global for a mutable import', global('i32'), global('i32', true), false],
    ['a bigger table', table(10, 20), table(5), true],
    ['a smaller table', table(4), table(5), false],
    ['a table without a maximum for one with', table(10), table(5, 20), false],
    ['a table with a smaller maximum', table(10, 15), table(5, 20), true],
    ['a table with a bigger maximum', table(10, 25), table(5, 20), false],
    ['a table of another element type', table(10, 20, 'externref'), table(5), false],
    ['memory: the same limits', memory(1, 2), memory(1, 2), true],
    ['memory: a bigger minimum', memory(2), memory(1), true],
    ['memory: a smaller minimum', memory(0), memory(1), false],
    ['memory: no maximum for one with', memory(1), memory(1, 2), false],
    ['a function for a global', func([]), global('i32'), false],
    ['a memory for a table', memory(1), table(1), false],
  ] as const)('%s', (_, provided, wanted, ok) => {
    expect(externTypeMatches(provided, wanted)).toBe(ok);
  });

  it('checks everything but the minimum with ignoreMin, unless the maximum rules it out', () => {
    expect(externTypeMatches(memory(1, 5), memory(3), true)).toBe(true);
    expect(externTypeMatches(memory(1, 2), memory(3), true)).toBe(false);
    expect(externTypeMatches(table(1, 2, 'externref'), table(1), true)).toBe(false);
  });
});

function moduleWith(imports: { module: string; name: string; desc: ImportDesc }[]): WasmModule {
  return {
    file: 'test.wasm',
    types: [
      { params: ['i32'], results: [] },
      { params: [], results: [] },
    ],
    imports: imports.map((i, k): Import => ({ ...i, offset: k })),
    funcTypes: [],
    codes: [],
    tables: [],
    memories: [],
    globals: [],
    exports: [],
    elems: [],
    datas: [],
    funcNames: new Map(),
  };
}

type Ref = string;
const registry = new Map<string, ExportSource<Ref>>([
  ['spectest', { ref: 'spectest', types: new Map([...spectestExports].map(([n, e]) => [n, e.type])) }],
]);

describe('linking against the registry', () => {
  it('links the spectest module with its documented types', () => {
    const m = moduleWith([
      { module: 'spectest', name: 'print_i32', desc: { kind: 'func', typeIndex: 0 } },
      { module: 'spectest', name: 'global_i32', desc: { kind: 'global', global: { type: 'i32', mutable: false } } },
      { module: 'spectest', name: 'table', desc: { kind: 'table', table: { elem: 'funcref', limits: { min: 10 } } } },
      { module: 'spectest', name: 'memory', desc: { kind: 'memory', memory: { limits: { min: 1, max: 2 }, pageSizeLog2: 16 } } },
    ]);
    expect(linkImports(m, registry)).toEqual({
      ok: true,
      providers: ['print_i32', 'global_i32', 'table', 'memory'].map((name) => ({ ref: 'spectest', name })),
      sizeChecks: [],
    });
  });

  it.each([
    ['a module nobody registered', { module: 'nowhere', name: 'f', desc: { kind: 'func', typeIndex: 1 } }, 'unknown import'],
    ['a name the module does not export', { module: 'spectest', name: 'unknown', desc: { kind: 'func', typeIndex: 1 } }, 'unknown import'],
    ['a function of another type', { module: 'spectest', name: 'print_i32', desc: { kind: 'func', typeIndex: 1 } }, 'incompatible import type'],
    ['a global as a function', { module: 'spectest', name: 'global_i32', desc: { kind: 'func', typeIndex: 1 } }, 'incompatible import type'],
    ['a mutable global', { module: 'spectest', name: 'global_i32', desc: { kind: 'global', global: { type: 'i32', mutable: true } } }, 'incompatible import type'],
    ['a table with a smaller maximum', { module: 'spectest', name: 'table', desc: { kind: 'table', table: { elem: 'funcref', limits: { min: 10, max: 15 } } } }, 'incompatible import type'],
    ['a memory bigger than its maximum', { module: 'spectest', name: 'memory', desc: { kind: 'memory', memory: { limits: { min: 3 }, pageSizeLog2: 16 } } }, 'incompatible import type'],
    ['a memory of another page size', { module: 'spectest', name: 'memory', desc: { kind: 'memory', memory: { limits: { min: 1 }, pageSizeLog2: 0 } } }, 'incompatible import type'],
  ] as const)('refuses %s', (_, imp, reason) => {
    const result = linkImports(moduleWith([imp as { module: string; name: string; desc: ImportDesc }]), registry);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe(reason);
  });

  it('leaves a minimum the provider may have grown to for the firmware to check', () => {
    const result = linkImports(moduleWith([{ module: 'spectest', name: 'memory', desc: { kind: 'memory', memory: { limits: { min: 2 }, pageSizeLog2: 16 } } }]), registry);
    expect(result).toEqual({ ok: true, providers: [{ ref: 'spectest', name: 'memory' }], sizeChecks: [{ import: 0, kind: 'memory', min: 2 }] });
  });

  it('types exports with imports first in each index space', () => {
    const m: WasmModule = {
      ...moduleWith([{ module: 'spectest', name: 'print_i32', desc: { kind: 'func', typeIndex: 0 } }]),
      funcTypes: [1],
      exports: [
        { name: 'imported', kind: 'func', index: 0, offset: 0 },
        { name: 'own', kind: 'func', index: 1, offset: 0 },
      ],
    };
    expect(exportTypes(m)).toEqual(
      new Map([
        ['imported', func(['i32'])],
        ['own', func([])],
      ]),
    );
  });
});
