import { describe, expect, it } from 'vitest';
import { BentoError, type Diagnostic } from '../../../src/diagnostics/error.js';
import { decodeModule } from '../../../src/wasm/decode.js';
import { validateModule } from '../../../src/wasm/validate/validate.js';
import { offsetOf } from '../support/binary.js';
import { wat } from '../support/wat.js';

/** Decodes and validates a module written in the text format (wat2wasm's own checks off). */
function check(text: string): { bytes: Uint8Array; diagnostics: readonly Diagnostic[] } {
  const bytes = wat(text, { noCheck: true });
  const module = decodeModule(bytes, 'v.wasm');
  try {
    validateModule(module);
  } catch (error) {
    if (error instanceof BentoError) return { bytes, diagnostics: error.diagnostics };
    throw error;
  }
  return { bytes, diagnostics: [] };
}

function valid(text: string): void {
  expect(check(text).diagnostics).toEqual([]);
}

/** The one problem of an invalid module. */
function problem(text: string): Diagnostic & { bytes: Uint8Array } {
  const { bytes, diagnostics } = check(text);
  expect(diagnostics).toHaveLength(1);
  expect(diagnostics[0]!.code).toBe('B3002');
  return { ...diagnostics[0]!, bytes };
}

describe('validateModule: valid modules', () => {
  it.each([
    ['multi-value blocks and calls', '(func (result i32 i64) (block (result i32 i64) (i32.const 1) (i64.const 2)))'],
    ['block parameters', '(func (result i32) (i32.const 1) (block (param i32) (result i32) (i32.const 2) (i32.add)))'],
    ['loop branches carry its parameters', '(func (result i32) (i32.const 1) (loop (param i32) (result i32) (br_if 0 (i32.const 0)) ))'],
    ['if without else when params = results', '(func (param i32) (result i32) (local.get 0) (local.get 0) (if (param i32) (result i32) (then (drop) (i32.const 3))))'],
    ['anything after unreachable', '(func (result i32) unreachable i32.add)'],
    ['an untyped select on unknown operands', '(func (result i32) unreachable select)'],
    ['br_table under unreachable with mixed label types', '(func (block (result f32) (block (result i64) unreachable (br_table 0 1 1 (i32.const 0)) ) drop (f32.const 0)) drop)'],
    ['br_table to labels of the same arity', '(func (result i32) (block (result i32) (br_table 0 1 (i32.const 7) (i32.const 0))))'],
    ['ref.func declared in an element segment', '(elem declare func 0) (func (result funcref) ref.func 0)'],
    ['ref.func declared by an export', '(func (export "f") (result funcref) ref.func 0)'],
    ['ref.is_null on a reference', '(func (param externref) (result i32) (ref.is_null (local.get 0)))'],
    ['typed select on references', '(func (param funcref funcref) (result funcref) (select (result funcref) (local.get 0) (local.get 1) (i32.const 0)))'],
    ['table instructions', '(table 1 externref) (func (param externref) (table.set 0 (i32.const 0) (local.get 0)) (drop (table.grow 0 (local.get 0) (i32.const 1))) (table.fill 0 (i32.const 0) (ref.null extern) (i32.const 1)))'],
    ['a global initialised from an imported global', '(import "e" "g" (global i32)) (global i32 (global.get 0))'],
    ['a mutable imported global, set', '(import "e" "g" (global (mut i32))) (func (global.set 0 (i32.const 1)))'],
    ['bulk memory with a data count', '(memory 1) (data "x") (func (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 1)) (data.drop 0))'],
    ['natural alignment', '(memory 1) (func (drop (i64.load align=8 (i32.const 0))) (i32.store16 align=2 (i32.const 0) (i32.const 0)))'],
    ['memory at the 4 GiB limit', '(memory 0 65536)'],
    ['the start function', '(func) (start 0)'],
  ])('%s', (_, text) => valid(`(module ${text})`));
});

describe('validateModule: invalid function bodies (B3002 at the instruction)', () => {
  it.each([
    ['a type mismatch', '(func (result i32) (i64.const 0))', 'end'],
    ['an operand missing', '(func (drop (i32.add (i32.const 1))))', 'i32.add'],
    ['an unknown local', '(func (local.get 3) drop)', 'local.get'],
    ['an unknown global', '(func (global.get 0) drop)', 'global.get'],
    ['setting an immutable global', '(global i32 (i32.const 0)) (func (global.set 0 (i32.const 1)))', 'global.set'],
    ['an unknown label', '(func (br 1))', 'br'],
    ['an unknown function', '(func (call 5))', 'call'],
    ['an alignment larger than natural', '(memory 1) (func (drop (i32.load align=8 (i32.const 0))))', 'i32.load'],
    ['a load without memory', '(func (drop (i32.load (i32.const 0))))', 'i32.load'],
    ['memory.init of an unknown segment', '(memory 1) (func (memory.init 1 (i32.const 0) (i32.const 0) (i32.const 0)))', 'memory.init'],
    ['br_table labels of different arities', '(func (block (result i32) (block (br_table 0 1 (i32.const 0) (i32.const 0)))) drop)', 'br_table'],
    ['an untyped select on references', '(func (param externref) (drop (select (local.get 0) (local.get 0) (i32.const 0))))', 'select'],
    ['call_indirect through an externref table', '(type (func)) (table 1 externref) (func (call_indirect 0 (type 0) (i32.const 0)))', 'call_indirect'],
    ['an undeclared function reference', '(func (drop (ref.func 0)))', 'ref.func'],
    ['ref.is_null on a number', '(func (drop (ref.is_null (i32.const 0))))', 'ref.is_null'],
    ['table.copy between reference types', '(table 1 funcref) (table 1 externref) (func (table.copy 0 1 (i32.const 0) (i32.const 0) (i32.const 0)))', 'table.copy'],
    ['elem.drop of an unknown segment', '(func (elem.drop 0))', 'elem.drop'],
    ['if without else whose params differ from its results', '(func (result i32) (i32.const 0) (if (result i32) (then (i32.const 1))))', 'end'],
    ['a value left in a block', '(func (block (i32.const 1)))', 'end'],
  ])('%s', (_, text, op) => {
    const p = problem(`(module ${text})`);
    const module = decodeModule(p.bytes, 'v.wasm');
    const funcIndex = module.imports.filter((i) => i.desc.kind === 'func').length + module.codes.length - 1;
    const body = module.codes.at(-1)!.body;
    const offsets = body.filter((i) => i.op === op).map((i) => i.offset);
    expect(p.location?.context).toBe(`function ${funcIndex}`);
    expect(offsets).toContain(p.location?.offset);
  });

  it('reports the exact offset of the offending instruction', () => {
    const p = problem('(module (func (local i32) (drop (i32.add (local.get 0) (f32.const 1)))))');
    // f32.const 1 is 43 00 00 80 3f; the i32.add after it is the culprit.
    expect(p.location).toEqual({ file: 'v.wasm', offset: offsetOf(p.bytes, [0x43, 0x00, 0x00, 0x80, 0x3f]) + 5, context: 'function 0' });
  });

  it('reports every invalid function, each at its first problem', () => {
    const { diagnostics } = check('(module (func (result i32)) (func (i32.const 1)) (func))');
    expect(diagnostics.map((d) => [d.code, d.location?.context])).toEqual([
      ['B3002', 'function 0'],
      ['B3002', 'function 1'],
    ]);
  });
});

describe('validateModule: invalid module entries (B3002)', () => {
  it.each([
    ['a global initialised by a non-constant', '(global i32 (i32.add (i32.const 1) (i32.const 2)))', 'section global, global 0'],
    ['a global reading a module global', '(global i32 (i32.const 0)) (global i32 (global.get 0))', 'section global, global 1'],
    ['a global reading a mutable import', '(import "e" "g" (global (mut i32))) (global i32 (global.get 0))', 'section global, global 1'],
    ['a global of the wrong type', '(global i64 (i32.const 0))', 'section global, global 0'],
    ['an element offset of the wrong type', '(table 1 funcref) (func) (elem (i64.const 0) func 0)', 'section element, segment 0'],
    ['an element segment for an unknown table', '(func) (elem (table 3) (i32.const 0) func 0)', 'section element, segment 0'],
    ['a data segment without memory', '(data (i32.const 0) "x")', 'section data, segment 0'],
    ['duplicate export names', '(func) (export "a" (func 0)) (export "a" (func 0))', 'section export, "a"'],
    ['an export of an unknown function', '(export "a" (func 3))', 'section export, "a"'],
    ['a start function with parameters', '(func (param i32)) (start 0)', 'section start'],
    ['two memories', '(memory 1) (memory 1)', 'section memory'],
    ['a memory over 4 GiB', '(memory 65537)', 'section memory, entry 0'],
    ['limits with min above max', '(table 2 1 funcref)', 'section table, entry 0'],
    ['a function of an unknown type', '(func (type 3))', 'section function, entry 0'],
  ])('%s', (_, text, context) => {
    const p = problem(`(module ${text})`);
    expect(p.location?.context).toBe(context);
    expect(p.location?.offset).toBeGreaterThanOrEqual(8);
  });
});

// The custom-page-sizes proposal (custom-page-sizes-invalid.wast): 1 and 65536 only, limits in those pages.
describe('custom page sizes', () => {
  const withMemory = (memtype: number[]) => {
    const m = decodeModule(Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, memtype.length + 1, 0x01, ...memtype]), 'p.wasm');
    try {
      validateModule(m);
    } catch (error) {
      if (error instanceof BentoError) return error.diagnostics.map((d) => d.message);
      throw error;
    }
    return [];
  };

  it.each([1, 2, 8, 12, 15, 17, 65])('refuses a page of 2^%i bytes', (log2) => {
    expect(withMemory([0x08, 0x00, log2])).toEqual([`invalid custom page size: 2^${log2} bytes (1 or 65536 only)`]);
  });

  it('takes pages of 1 byte up to 4 GiB - 1, and of 64 KiB up to 65536', () => {
    expect(withMemory([0x09, 0x00, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00])).toEqual([]);
    expect(withMemory([0x08, 0x80, 0x80, 0x04, 0x10])).toEqual([]);
    expect(withMemory([0x08, 0x81, 0x80, 0x04, 0x10])).toEqual(['memory size must be at most 65536 pages (4GiB): minimum is 65537']);
  });
});
