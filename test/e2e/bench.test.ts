// `bento bench --quick` in CI: every variant of three kernels builds, runs on QEMU and agrees
// on the checksum; the report has a ratio for each. No timing is asserted: the counts are
// instructions, and the targets are judged in BENCHMARKS.md, not here.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bento } from '../support/cli.js';

describe('bento bench --quick', () => {
  it('runs native and every Wasm variant, and they agree on every checksum', { timeout: 600_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bento-bench-'));
    const r = await bento(['bench', '--quick'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('bento: 21 runs, every variant agrees on every checksum');
    for (const kernel of ['crc32', 'gemm', 'introsort']) expect(r.stdout).toMatch(new RegExp(`^\\| ${kernel} \\| [\\d,]+ \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\|$`, 'm'));
    expect(r.stdout).toContain('| kernel | native-clang (instructions) | native-gcc | wasm-software | wasm-mask | wasm-mpu | wasm-none | wasm2c |');
  });
});
