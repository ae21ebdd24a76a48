import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDriver } from '../../src/spec/driver-ir.js';
import { expectedPattern } from '../../src/spec/values.js';

const dir = mkdtempSync(join(tmpdir(), 'bento-spec-driver-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the generated driver', () => {
  it('calls with the internal convention, checks every result and reports', () => {
    const bitcode = join(dir, 'driver.bc');
    const nan = { type: 'f32', value: 'nan:arithmetic' };
    const big = { type: 'i64', value: '18446744073709551615' };
    writeDriver(
      [
        { kind: 'invoke', command: 5, symbol: 's0_export_two', type: { params: ['i64', 'f64', 'externref'], results: ['f32', 'i64'] }, args: [0x8000_0000_0000_0001n, 0x7ff4_0000_0000_0000n, 3n], expect: { kind: 'return', patterns: [nan, big].map(expectedPattern), values: [nan, big] } },
        { kind: 'invoke', command: 6, symbol: 's0_export_two', type: { params: ['i64', 'f64', 'externref'], results: ['f32', 'i64'] }, args: [0n, 0n, 0n], expect: { kind: 'trap', text: 'unreachable' } },
        { kind: 'get', command: 7, symbol: 's0_g1', type: 'funcref', expect: { kind: 'action' } },
        { kind: 'instantiate', command: 8, init: 's1_init', checks: [{ kind: 'memory', symbol: 's0_instance', min: 3 }] },
        { kind: 'link-check', command: 9, checks: [{ kind: 'table', symbol: 's0_t0', min: 12 }] },
      ],
      'test_driver',
      'thumbv7em-none-eabihf',
      bitcode,
    );
    const ir = execFileSync('llvm-dis-14', [bitcode, '-o', '-'], { encoding: 'utf8' });
    for (const cmd of [5, 6, 7, 8, 9]) expect(ir).toContain(`define void @bento_spec_cmd${cmd}()`);
    // Arguments arrive bit-exact: an i64 above 2^53, a signalling NaN, a reference's pointer.
    expect(ir).toMatch(/call \{ float, i64 \} @s0_export_two\(i64 -9223372036854775807, double 0x7FF4000000000000, i8\* inttoptr \(i32 3 to i8\*\)\)/);
    // nan:arithmetic is a mask and a value on the bits.
    expect(ir).toContain('and i64 %');
    expect(ir).toContain(', 2143289344');
    expect(ir).toMatch(/call void @bento_spec_fail\(i32 6, i32 2\)/);
    expect(ir).toMatch(/lshr i32 %\d+, 16/);
  });
});
