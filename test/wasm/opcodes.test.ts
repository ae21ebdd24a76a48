import { describe, expect, it } from 'vitest';
import { decodeModule } from '../../src/wasm/decode.js';
import { MISC_PREFIX, opByByte, opByMiscCode, opByName, opcodes, type OpInfo } from '../../src/wasm/opcodes.js';
import { wat } from './support/wat.js';

describe('the opcode table', () => {
  it('has each encoding once and each name once (but the two selects)', () => {
    const encodings = opcodes.map((o) => `${o.byte}/${o.sub ?? ''}`);
    expect(new Set(encodings).size).toBe(opcodes.length);
    const names = opcodes.map((o) => o.name).filter((n) => n !== 'select');
    expect(new Set(names).size).toBe(names.length);
  });

  it('covers the 0xFC instructions 0..17 without gaps', () => {
    for (let sub = 0; sub <= 17; sub++) expect(opByMiscCode(sub), `0xfc ${sub}`).toBeDefined();
    expect(opByMiscCode(18)).toBeUndefined();
  });

  it('gives every numeric instruction a signature and every load and store an alignment', () => {
    for (const o of opcodes) {
      if (o.group === 'numeric') expect(o.params && o.results, o.name).toBeTruthy();
      if (o.immediate === 'memarg') expect(o.naturalAlign, o.name).toBeGreaterThanOrEqual(0);
    }
  });

  it.each([
    ['i32.wrap_i64', 0xa7, undefined, ['i64'], ['i32']],
    ['i64.extend32_s', 0xc4, undefined, ['i64'], ['i64']],
    ['f64.copysign', 0xa6, undefined, ['f64', 'f64'], ['f64']],
    ['i64.rotr', 0x8a, undefined, ['i64', 'i64'], ['i64']],
    ['f32.ge', 0x60, undefined, ['f32', 'f32'], ['i32']],
    ['i64.trunc_sat_f64_u', MISC_PREFIX, 7, ['f64'], ['i64']],
    ['i64.store32', 0x3e, undefined, ['i32', 'i64'], []],
  ])('%s', (name, byte, sub, params, results) => {
    const o = opByName(name)!;
    expect({ byte: o.byte, sub: o.sub, params: o.params, results: o.results }).toEqual({ byte, sub, params, results });
  });

  it('looks up by byte', () => {
    expect(opByByte(0x6a)?.name).toBe('i32.add');
    expect(opByByte(0x1c)?.immediate).toBe('select_types');
    expect(opByByte(0x06)).toBeUndefined();
  });
});

/** Text for one instruction with placeholder immediates, and the instruction names it encodes. */
function textOf(o: OpInfo): [string, string[]] | undefined {
  switch (o.immediate) {
    case 'none':
      return o.name === 'else' || o.name === 'end' ? undefined : [o.name, [o.name]];
    case 'blocktype':
      return o.name === 'if' ? ['if else nop end', ['if', 'else', 'nop', 'end']] : [`${o.name} end`, [o.name, 'end']];
    case 'memarg':
    case 'memory':
    case 'memory.copy':
      return [o.name, [o.name]];
    case 'table.init':
    case 'table.copy':
      return [`${o.name} 0 0`, [o.name]];
    case 'call_indirect':
      return ['call_indirect (type 0)', [o.name]];
    case 'reftype':
      return ['ref.null func', [o.name]];
    case 'select_types':
      return ['select (result i32)', [o.name]];
    default:
      return [`${o.name} 0`, [o.name]];
  }
}

describe('the opcode table against wabt', () => {
  it('decodes what wat2wasm encodes for every instruction, under the same names', () => {
    const texts = opcodes.map(textOf).filter((t) => t !== undefined);
    const bytes = wat(
      `(module (type (func)) (memory 1) (table 1 funcref) (global (mut i32) (i32.const 0)) (data "x") (elem func 0)
        (func (local i32) ${texts.map(([text]) => text).join('\n')}))`,
      { noCheck: true },
    );
    const module = decodeModule(bytes, 'all.wasm');
    const decoded = module.codes[0]!.body.map((i) => i.op);
    expect(decoded).toEqual([...texts.flatMap(([, names]) => names), 'end']);
  });
});
