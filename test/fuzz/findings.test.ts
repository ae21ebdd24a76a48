// What the fuzzer found in the decoder and validator, kept as regression tests, and the places
// where bento rightly disagrees with wabt's wasm-validate.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/config/board.js';
import { checkCompile } from './checks.js';
import { BentoError, type Diagnostic } from '../../src/diagnostics/error.js';
import { decodeModule } from '../../src/wasm/decode.js';
import { MAX_LOCALS, MAX_MODULE_LOCALS } from '../../src/wasm/sections/code.js';
import { validateModule } from '../../src/wasm/validate/validate.js';
import { concat, section, uleb, vec, HEADER } from './encode.js';

function rejection(bytes: Uint8Array): Diagnostic {
  try {
    validateModule(decodeModule(bytes, 'f.wasm'));
  } catch (error) {
    if (error instanceof BentoError) return error.diagnostics[0]!;
    throw error;
  }
  throw new Error('expected the module to be rejected');
}

/** `n` functions of type () -> i64, each declaring `locals` i64 locals and running `code`. */
function manyLocals(n: number, locals: number, code: number[]): Uint8Array {
  const body = [...vec([[...uleb(locals), 0x7e]]), ...code, 0x0b];
  return concat([
    HEADER,
    section(1, vec([[0x60, 0x00, 0x01, 0x7e]])),
    section(3, vec(Array.from({ length: n }, () => [0]))),
    section(10, vec(Array.from({ length: n }, () => [...uleb(body.length), ...body]))),
  ]);
}

describe('fuzz findings in the decoder and validator', () => {
  // Found as "slow": the validator expanded each function's locals into an array, so 4,000
  // functions of 8 bytes each, declaring 50,000 locals, took 20 s to validate.
  it('validates many functions with many locals without expanding them', () => {
    const n = Math.floor(MAX_MODULE_LOCALS / MAX_LOCALS);
    const bytes = manyLocals(n, MAX_LOCALS, [0x20, ...uleb(MAX_LOCALS - 1)]);
    const t0 = performance.now();
    validateModule(decodeModule(bytes, 'f.wasm'));
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it('still types and bounds each local through its group', () => {
    const mixed = (code: number[]): Uint8Array => {
      const body = [...vec([[2, 0x7f], [3, 0x7e], [0, 0x7d], [1, 0x7c]]), ...code, 0x0b];
      return concat([HEADER, section(1, vec([[0x60, 0x01, 0x7d, 0x01, 0x7e]])), section(3, vec([[0]])), section(10, vec([[...uleb(body.length), ...body]]))]);
    };
    // Locals: 0 f32 (the parameter), 1-2 i32, 3-5 i64, 6 f64.
    expect(() => validateModule(decodeModule(mixed([0x20, 5]), 'f.wasm'))).not.toThrow();
    expect(() => validateModule(decodeModule(mixed([0x20, 3]), 'f.wasm'))).not.toThrow();
    expect(rejection(mixed([0x20, 2])).message).toContain('expected i64, found i32');
    expect(rejection(mixed([0x20, 6])).message).toContain('expected i64, found f64');
    expect(rejection(mixed([0x20, 0])).message).toContain('expected i64, found f32');
    const unknown = rejection(mixed([0x20, 7]));
    expect(unknown.code).toBe('B3002');
    expect(unknown.message).toContain('unknown local 7');
  });

  // The same shape over the module-wide cap: it would ask lowering for millions of stack slots.
  it('caps the locals of a whole module, located in the function that passes the cap', () => {
    const n = Math.floor(MAX_MODULE_LOCALS / MAX_LOCALS) + 1;
    const d = rejection(manyLocals(n, MAX_LOCALS, [0x42, 0]));
    expect(d.code).toBe('B3001');
    expect(d.message).toContain('too many locals in the module');
    expect(d.location?.context).toBe(`section code, function ${n - 1}`);
  });
});

describe('fuzz findings in lowering', () => {
  // Found as "slow": lowering made a stack slot and a zero store for every declared local, used or
  // not (4 functions x 50,000 locals: 13 s to lower, 9.5 s in opt; 100 did not finish in 300 s).
  // Slots are now made on first use. The module just under the cap compiles.
  it('compiles 20 functions that each declare 50,000 locals and read one', async () => {
    const n = Math.floor(MAX_MODULE_LOCALS / MAX_LOCALS);
    const outcome = await checkCompile({
      bytes: manyLocals(n, MAX_LOCALS, [0x20, ...uleb(MAX_LOCALS - 1)]),
      board: loadBoard('m4'),
      bounds: 'software',
      dir: mkdtempSync(join(tmpdir(), 'bento-fuzz-locals-')),
      memoryLimit: 1 << 20,
    });
    expect(outcome.result).toBe('compiled');
  });
});

describe('where bento and wabt 1.0.32 differ, and bento follows the spec', () => {
  // wasm-validate accepts a body whose last `end` closes an inner block, leaving the function open.
  it('a function body that ends inside a block is malformed', () => {
    const body = [0x00, 0x02, 0x40, 0x0b];
    const bytes = concat([HEADER, section(1, vec([[0x60, 0x00, 0x00]])), section(3, vec([[0]])), section(10, vec([[...uleb(body.length), ...body]]))]);
    const d = rejection(bytes);
    expect(d.code).toBe('B3001');
    expect(d.location).toMatchObject({ offset: bytes.length, context: 'section code, function 0' });
  });

  // wasm-validate accepts a data count section when the data section is missing altogether.
  it('a data count of 2 with no data section is malformed', () => {
    const bytes = concat([HEADER, section(5, vec([[0x00, 0x01]])), section(12, uleb(2))]);
    const d = rejection(bytes);
    expect(d.code).toBe('B3001');
    expect(d.message).toContain('inconsistent lengths');
  });
});
