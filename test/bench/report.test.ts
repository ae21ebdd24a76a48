// The bench report from made-up results: ratios per board, "did not fit" where a variant's
// memory did not fit the board, geometric means over what ran; and checksums across boards.
import { describe, expect, it } from 'vitest';
import { checksumMismatches } from '../../src/bench/bench.js';
import type { BenchResults, Measurement } from '../../src/bench/bench.js';
import { formatReport, geomeans } from '../../src/bench/report.js';

const run = (board: string, kernel: string, variant: string, instructions: number, checksum = 'aaaaaaaa'): Measurement => ({ board, kernel, variant, instructions, checksum, code: 1000, ram: 4096 });

const results: BenchResults = {
  kernels: ['crc32', 'gemm', 'sort'],
  variants: ['native-clang', 'wasm-software', 'wasm2c'],
  runs: [
    run('small', 'gemm', 'native-clang', 1000),
    run('small', 'gemm', 'wasm-software', 1500),
    run('small', 'sort', 'native-clang', 2000),
    run('small', 'sort', 'wasm-software', 2400),
    run('small', 'sort', 'wasm2c', 6000),
  ],
  notFitted: [
    { board: 'small', kernel: 'crc32', variant: 'native-clang', needs: 80 * 1024, has: 64 * 1024 },
    { board: 'small', kernel: 'crc32', variant: 'wasm-software', needs: 189 * 1024, has: 64 * 1024 },
    { board: 'small', kernel: 'crc32', variant: 'wasm2c', needs: 145 * 1024, has: 64 * 1024 },
    { board: 'small', kernel: 'gemm', variant: 'wasm2c', needs: 81 * 1024, has: 64 * 1024 },
  ],
};

describe('bench report', () => {
  const text = formatReport(results);

  it('says "did not fit" in the cells, and what it needs under the table, in the planned order', () => {
    expect(text).toContain(
      [
        '| kernel | native-clang (instructions) | wasm-software | wasm2c |',
        '|---|---:|---:|---:|',
        '| crc32 | did not fit | did not fit | did not fit |',
        '| gemm | 1,000 | 1.50 | did not fit |',
        '| sort | 2,000 | 1.20 | 3.00 |',
      ].join('\n'),
    );
    expect(text).toContain('- crc32 as native-clang: did not fit: needs 80 KiB of RAM, small has 64 KiB\n');
    expect(text).toContain('- crc32 as wasm-software: did not fit: needs 189 KiB of RAM, small has 64 KiB\n');
    expect(text).toContain('- gemm as wasm2c: did not fit: needs 81 KiB of RAM, small has 64 KiB\n');
  });

  it('takes geometric means over the kernels that ran, saying how many', () => {
    // sqrt(1.5 * 1.2) = 1.34
    expect(text).toContain('| **geomean** | | **1.34** (2 of 3) | **3.00** (1 of 3) |');
    expect(text).toContain('| worst | | 1.50 (gemm) | 3.00 (sort) |');
    expect(geomeans(results.runs).map((g) => [g.variant, g.value.toFixed(2)])).toEqual([
      ['wasm-software', '1.34'],
      ['wasm2c', '3.00'],
    ]);
  });

  it('finds a checksum that differs between boards, not only between variants on one', () => {
    const same = [run('m4', 'gemm', 'native-clang', 1), run('lm3s6965', 'gemm', 'native-clang', 9)];
    expect(checksumMismatches(same)).toEqual([]);
    const soft = [...same, run('lm3s6965', 'gemm', 'native-gcc', 9, 'bbbbbbbb')];
    expect(checksumMismatches(soft)).toEqual(['gemm: m4 native-clang aaaaaaaa, lm3s6965 native-clang aaaaaaaa, lm3s6965 native-gcc bbbbbbbb']);
  });
});
