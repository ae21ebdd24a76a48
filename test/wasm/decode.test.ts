import { describe, expect, it } from 'vitest';
import { BentoError, type Diagnostic } from '../../src/diagnostics/error.js';
import { decodeModule } from '../../src/wasm/decode.js';
import { opByName } from '../../src/wasm/opcodes.js';
import { code, funcs, HEADER, leb, offsetOf, section, str, vec, voidType, wasm } from './support/binary.js';
import { wat } from './support/wat.js';

function diagnostic(bytes: Uint8Array): Diagnostic {
  try {
    decodeModule(bytes, 'm.wasm');
  } catch (error) {
    if (error instanceof BentoError) return error.diagnostics[0]!;
    throw error;
  }
  throw new Error('expected decodeModule to fail');
}

describe('decodeModule', () => {
  const full = wat(
    `(module
      (type $v (func))
      (type $ii (func (param i32) (result i32 i64)))
      (import "env" "f" (func $imp (type $v)))
      (import "env" "t" (table 1 funcref))
      (import "env" "m" (memory 1 2))
      (import "env" "g" (global $g i32))
      (table $t2 2 10 externref)
      (global $mg (mut i64) (i64.const -5))
      (export "run" (func $run))
      (export "mg" (global $mg))
      (start $imp)
      (elem (i32.const 0) func $run)
      (elem $p funcref (ref.null func) (ref.func $imp))
      (elem declare func $run)
      (data (i32.const 16) "hi")
      (data $passive "\\01\\02")
      (func $run (type $ii) (local i64 i64) (local f32)
        local.get 0
        block (type $ii) (param i32) (result i32 i64) i64.const -1 br 0 end
        drop drop
        f32.const nan
        f64.const -0x1p-1
        drop drop
        i32.const 0 i64.load offset=8 align=4 drop
        local.get 0 i64.const 2 i32.const 1
        br_table 0 0 0
      )
      (func $bulk
        i32.const 0 i32.const 0 i32.const 0 memory.init $passive
        data.drop $passive
        i32.const 0 i32.const 0 i32.const 0 table.copy 0 0
        i32.const 0 i32.const 0 i32.const 0 table.init $p
        ref.null extern ref.null extern i32.const 0 select (result externref) drop
        i32.const 0 call_indirect (type $v)
      )
    )`,
    { debugNames: true },
  );
  const m = decodeModule(full, 'full.wasm');

  it('reads every section', () => {
    expect(m.types).toEqual([
      { params: [], results: [] },
      { params: ['i32'], results: ['i32', 'i64'] },
    ]);
    expect(m.imports.map((i) => [i.module, i.name, i.desc])).toEqual([
      ['env', 'f', { kind: 'func', typeIndex: 0 }],
      ['env', 't', { kind: 'table', table: { elem: 'funcref', limits: { min: 1 } } }],
      ['env', 'm', { kind: 'memory', memory: { limits: { min: 1, max: 2 }, pageSizeLog2: 16 } }],
      ['env', 'g', { kind: 'global', global: { type: 'i32', mutable: false } }],
    ]);
    expect(m.funcTypes).toEqual([1, 0]);
    expect(m.tables).toEqual([{ elem: 'externref', limits: { min: 2, max: 10 } }]);
    expect(m.globals[0]!.type).toEqual({ type: 'i64', mutable: true });
    expect(m.globals[0]!.init).toMatchObject([{ op: 'i64.const', value: -5n }]);
    expect(m.exports.map((e) => [e.name, e.kind, e.index])).toEqual([
      ['run', 'func', 1],
      ['mg', 'global', 1],
    ]);
    expect(m.start).toBe(0);
    expect(m.dataCount).toBe(2);
    expect(m.funcNames.get(0)).toBe('imp');
    expect(m.funcNames.get(1)).toBe('run');
    expect(m.sections?.map((s) => s.name)).toEqual(['type', 'import', 'function', 'table', 'global', 'export', 'start', 'element', 'data count', 'code', 'data', 'name']);
  });

  it('reads the element segment forms', () => {
    expect(m.elems.map((e) => [e.mode, e.table, e.type, e.items.map((x) => x.map((i) => i.op))])).toEqual([
      ['active', 0, 'funcref', [['ref.func']]],
      ['passive', 0, 'funcref', [['ref.null'], ['ref.func']]],
      ['declarative', 0, 'funcref', [['ref.func']]],
    ]);
    expect(m.elems[0]!.offsetExpr).toMatchObject([{ op: 'i32.const', value: 0 }]);
    expect(m.elems[0]!.items[0]![0]!.index).toBe(1);
  });

  it('reads data segments', () => {
    expect(m.datas.map((d) => [d.mode, d.memory, [...d.bytes]])).toEqual([
      ['active', 0, [0x68, 0x69]],
      ['passive', 0, [1, 2]],
    ]);
    expect(m.datas[0]!.offsetExpr).toMatchObject([{ op: 'i32.const', value: 16 }]);
  });

  it('reads locals and immediates', () => {
    const run = m.codes[0]!;
    expect(run.typeIndex).toBe(1);
    expect(run.locals).toEqual([
      { count: 2, type: 'i64' },
      { count: 1, type: 'f32' },
    ]);
    const find = (op: string) => run.body.find((i) => i.op === op)!;
    expect(find('i64.const').value).toBe(-1n);
    expect(find('block').blockType).toEqual({ kind: 'func', typeIndex: 1 });
    expect(find('f32.const').bits).toBe(0x7fc00000);
    expect(find('f64.const').bits).toBe(0xbfe0000000000000n);
    expect(find('i64.load').memarg).toEqual({ align: 2, offset: 8, memory: 0 });
    expect(find('br_table')).toMatchObject({ labels: [0, 0], index: 0 });
    expect(run.body.at(-1)!.op).toBe('end');

    const bulk = m.codes[1]!.body;
    expect(bulk.find((i) => i.op === 'memory.init')!.index).toBe(1);
    expect(bulk.find((i) => i.op === 'table.init')).toMatchObject({ index: 1, index2: 0 });
    expect(bulk.find((i) => i.op === 'select')!.types).toEqual(['externref']);
    expect(bulk.find((i) => i.op === 'ref.null')!.refType).toBe('externref');
    expect(bulk.find((i) => i.op === 'call_indirect')).toMatchObject({ index: 0, index2: 0 });
  });

  it('keeps the offset of each opcode (its prefix for 0xFC instructions)', () => {
    for (const body of m.codes) {
      for (const instr of body.body) {
        const byte = full[instr.offset];
        if (instr.op === 'select') expect([0x1b, 0x1c]).toContain(byte);
        else expect(byte, instr.op).toBe(opByName(instr.op)!.byte);
      }
    }
  });

  it('decodes the empty module', () => {
    expect(decodeModule(Uint8Array.from(HEADER), 'e.wasm')).toMatchObject({ types: [], codes: [], funcNames: new Map() });
  });

  it('accepts custom sections anywhere and ignores a malformed name section', () => {
    const badNames = section(0, [...str('name'), 0x01, 0x05, 0x01, 0x00, 0x09, 0x61]); // name longer than the subsection
    const bytes = wasm(section(0, [...str('x'), 1, 2, 3]), voidType, section(0, str('between')), funcs(1), code([0x0b]), badNames);
    const module = decodeModule(bytes, 'c.wasm');
    expect(module.codes).toHaveLength(1);
    expect(module.funcNames.size).toBe(0);
    // Kept for a warning: which section, where inside it, and why.
    const nameStart = module.sections!.filter((s) => s.name === 'name')[0]!.offset;
    expect(module.ignoredSections).toEqual([{ name: 'name', offset: expect.any(Number), reason: 'malformed name section' }]);
    expect(module.ignoredSections![0]!.offset).toBeGreaterThan(nameStart);
  });
});

describe('decodeModule rejects malformed modules (B3001)', () => {
  it.each([
    ['bad magic', Uint8Array.from([0x00, 0x61, 0x73, 0x6e, 1, 0, 0, 0]), 0],
    ['bad version', Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0]), 4],
    ['no header', Uint8Array.from([0x00, 0x61]), 0],
  ])('%s', (_, bytes, offset) => {
    const d = diagnostic(bytes);
    expect(d.code).toBe('B3001');
    expect(d.location).toMatchObject({ file: 'm.wasm', offset, context: 'header' });
  });

  it('a section out of order, and a duplicated one', () => {
    const memory = section(5, vec([[0x00, 0x01]]));
    const outOfOrder = wasm(memory, voidType);
    expect(diagnostic(outOfOrder)).toMatchObject({ code: 'B3001', location: { offset: 8 + memory.length } });
    const twice = wasm(voidType, voidType);
    expect(diagnostic(twice)).toMatchObject({ code: 'B3001', location: { offset: 8 + voidType.length } });
    // The data count section goes between element and code.
    const dataCountAfterCode = wasm(voidType, funcs(1), code([0x0b]), section(12, [0x00]));
    expect(diagnostic(dataCountAfterCode).code).toBe('B3001');
  });

  it('an unknown section id', () => {
    expect(diagnostic(wasm(section(13, []))).location?.offset).toBe(8);
  });

  it('a section size that does not match its contents', () => {
    // A type section that says 5 bytes but holds 4, followed by a byte of the next section.
    const bytes = wasm([0x01, 0x05, 0x01, 0x60, 0x00, 0x00], section(3, [0x00]));
    const d = diagnostic(bytes);
    expect(d.code).toBe('B3001');
    expect(d.message).toContain('section size mismatch');
    expect(d.location?.context).toBe('section type');
  });

  it('a section running past the end of the file', () => {
    expect(diagnostic(wasm([0x01, 0x10, 0x01, 0x60])).code).toBe('B3001');
  });

  it('function and code sections of different lengths', () => {
    expect(diagnostic(wasm(voidType, funcs(2), code([0x0b]))).code).toBe('B3001');
    expect(diagnostic(wasm(voidType, funcs(1))).code).toBe('B3001');
    expect(diagnostic(wasm(voidType, code([0x0b]))).code).toBe('B3001');
  });

  it('a data count that disagrees with the data section', () => {
    const memory = section(5, vec([[0x00, 0x01]]));
    const data = section(11, vec([[0x01, 0x00]]));
    expect(diagnostic(wasm(memory, section(12, [0x02]), data)).code).toBe('B3001');
    expect(diagnostic(wasm(memory, section(12, [0x01]))).code).toBe('B3001');
    expect(() => decodeModule(wasm(memory, section(12, [0x01]), data), 'ok.wasm')).not.toThrow();
  });

  it('memory.init without a data count section, pointing at the instruction', () => {
    const memory = section(5, vec([[0x00, 0x01]]));
    const data = section(11, vec([[0x01, 0x00]]));
    const init = [0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x08, 0x00, 0x00, 0x0b];
    const bytes = wasm(voidType, funcs(1), memory, code(init), data);
    const d = diagnostic(bytes);
    expect(d.code).toBe('B3001');
    expect(d.location).toMatchObject({ offset: offsetOf(bytes, [0xfc, 0x08]), context: 'section code, function 0' });
  });

  it('more locals than the cap', () => {
    const body = [0x01, ...leb(50_001), 0x7f, 0x0b];
    const bytes = wasm(voidType, funcs(1), section(10, vec([[...leb(body.length), ...body]])));
    const d = diagnostic(bytes);
    expect(d.code).toBe('B3001');
    expect(d.message).toContain('too many locals');
  });

  it('an illegal opcode, located in its function (imports counted)', () => {
    const imports = section(2, vec([[...str('env'), ...str('f'), 0x00, 0x00]]));
    const bytes = wasm(voidType, imports, funcs(2), code([0x0b], [0x01, 0x06, 0x0b]));
    const d = diagnostic(bytes);
    expect(d.code).toBe('B3001');
    expect(d.location).toEqual({ file: 'm.wasm', offset: bytes.length - 2, context: 'section code, function 2' });
  });

  it.each([
    ['memory.size with a non-zero reserved byte', [0x3f, 0x01, 0x1a, 0x0b]],
    ['memory.grow with a long zero', [0x41, 0x00, 0x40, 0x80, 0x00, 0x1a, 0x0b]],
    ['a missing end', [0x01]],
    ['else outside if', [0x02, 0x40, 0x05, 0x0b, 0x0b]],
    ['bytes after the final end', [0x0b, 0x01]],
    ['a negative block type index', [0x02, 0x41, 0x0b, 0x0b]],
    ['an unknown 0xFC instruction', [0xfc, 0x12, 0x0b]],
    ['ref.null of a bad type', [0xd0, 0x7f, 0x1a, 0x0b]],
    ['an i32.const too large', [0x41, 0x80, 0x80, 0x80, 0x80, 0x08, 0x1a, 0x0b]],
  ])('%s', (_, body) => {
    const memory = section(5, vec([[0x00, 0x01]]));
    const d = diagnostic(wasm(voidType, funcs(1), memory, code(body)));
    expect(d.code).toBe('B3001');
    expect(d.location?.context).toBe('section code, function 0');
  });

  it.each([
    ['a bad mutability', section(6, vec([[0x7f, 0x02, 0x41, 0x00, 0x0b]]))],
    ['a bad reference type', section(4, vec([[0x7f, 0x00, 0x01]]))],
    ['bad limits flags', section(5, vec([[0x02, 0x01]]))],
    ['a bad import kind', section(2, vec([[...str('a'), ...str('b'), 0x04, 0x00]]))],
    ['a bad export kind', section(7, vec([[...str('a'), 0x04, 0x00]]))],
    ['an import name that is not UTF-8', section(2, vec([[...str('a'), 0x01, 0xff, 0x00, 0x00]]))],
    ['a bad element segment kind', section(9, vec([[0x08]]))],
    ['a bad element kind byte', section(9, vec([[0x01, 0x01, 0x00]]))],
    ['a bad data segment kind', section(11, vec([[0x03]]))],
    ['a bad value type', section(1, vec([[0x60, 0x01, 0x55, 0x00]]))],
    ['a custom section name past its section', section(0, [0x05, 0x61])],
  ])('%s', (_, s) => {
    expect(diagnostic(wasm(s)).code).toBe('B3001');
  });
});

describe('decodeModule rejects SIMD (B3003)', () => {
  it('on a 0xFD instruction, with its offset', () => {
    const bytes = wasm(voidType, funcs(1), code([0xfd, 0x0c, ...new Array(16).fill(0), 0x1a, 0x0b]));
    const d = diagnostic(bytes);
    const offset = offsetOf(bytes, [0xfd, 0x0c]);
    expect(d.code).toBe('B3003');
    expect(d.message).toContain('SIMD not supported');
    expect(d.message).toContain(`0x${offset.toString(16)}`);
    expect(d.location).toMatchObject({ offset, context: 'section code, function 0' });
  });

  it('on a v128 value type', () => {
    const bytes = wasm(section(1, vec([[0x60, 0x01, 0x7b, 0x00]])));
    const d = diagnostic(bytes);
    expect(d.code).toBe('B3003');
    expect(d.location?.offset).toBe(offsetOf(bytes, [0x7b]));
  });

  it('in a module wat2wasm builds', () => {
    const bytes = wat('(module (func (result i32) (i32x4.extract_lane 0 (v128.const i32x4 1 2 3 4))))');
    expect(diagnostic(bytes).code).toBe('B3003');
  });
});

// The custom-page-sizes proposal: limits flag bit 3 says a page-size exponent follows.
describe('memory types with a custom page size', () => {
  it('reads (memory 16384 16384 (pagesize 1)) as REFERENCE.md encodes it', () => {
    const m = decodeModule(wasm(section(5, vec([[0x09, 0x80, 0x80, 0x01, 0x80, 0x80, 0x01, 0x00]]))), 'm.wasm');
    expect(m.memories).toEqual([{ limits: { min: 16384, max: 16384 }, pageSizeLog2: 0 }]);
  });

  it('reads an exponent it will not validate, such as 2^65, and a memory import with one', () => {
    const m = decodeModule(wasm(section(5, vec([[0x08, 0x00, 0x41]]))), 'm.wasm');
    expect(m.memories[0]).toEqual({ limits: { min: 0 }, pageSizeLog2: 65 });
    const imp = decodeModule(wasm(section(2, vec([[...str('env'), ...str('m'), 0x02, 0x08, 0x64, 0x00]]))), 'm.wasm');
    expect(imp.imports[0]!.desc).toEqual({ kind: 'memory', memory: { limits: { min: 100 }, pageSizeLog2: 0 } });
  });

  it.each([
    ['shared (threads)', 0x03],
    ['memory64', 0x04],
    ['an unknown bit', 0x10],
  ])('refuses %s limits as malformed, at the flags byte', (_what, flags) => {
    const bytes = wasm(section(5, vec([[flags, 0x01, 0x01]])));
    expect(diagnostic(bytes)).toMatchObject({ code: 'B3001', message: `malformed limits flags 0x${flags.toString(16)}`, location: { offset: 11 } });
  });

  it('keeps the page-size bit to memories: a table with it is malformed', () => {
    expect(diagnostic(wasm(section(4, vec([[0x70, 0x08, 0x01, 0x00]])))).message).toBe('malformed limits flags 0x8');
  });
});
