// `bento bench --quick` in CI: every variant of three kernels builds, runs on QEMU and agrees
// on the checksum; the report has a ratio for each. Then the smallest set on the other emulated
// boards: gemm (float work: soft float on the Cortex-M3) on stm32f405, lm3s6965, m33 and m55,
// where a variant the board's RAM cannot hold is reported as such and the rest runs. No timing
// is asserted: the counts are instructions, and the targets are judged in BENCHMARKS.md, not here.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bento } from '../support/cli.js';

/** The report's part under `### <heading>`, up to the next heading. */
function section(stdout: string, heading: string): string {
  const start = stdout.indexOf(`### ${heading}\n`);
  expect(start, `no section '${heading}' in:\n${stdout}`).toBeGreaterThanOrEqual(0);
  const end = stdout.indexOf('\n### ', start + 1);
  return stdout.slice(start, end < 0 ? undefined : end);
}

const ratio = '[\\d.]+';
const variants = '| native-gcc | wasm-software | wasm-mask | wasm-mpu | wasm-none | wasm2c |';

describe('bento bench', () => {
  it('--quick runs native and every Wasm variant, and they agree on every checksum', { timeout: 600_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bento-bench-'));
    const r = await bento(['bench', '--quick'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('bento: 21 runs, every variant agrees on every checksum');
    for (const kernel of ['crc32', 'gemm', 'introsort']) expect(r.stdout).toMatch(new RegExp(`^\\| ${kernel} \\| [\\d,]+( \\| ${ratio}){6} \\|$`, 'm'));
    expect(r.stdout).toContain(`| kernel | native-clang (instructions) ${variants}`);
  });

  it('runs gemm on stm32f405, lm3s6965, m33 and m55, with ratios per board and what did not fit said plainly', { timeout: 900_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bento-bench-boards-'));
    const r = await bento(['bench', '--board', 'stm32f405,lm3s6965,m33,m55', '--kernels', 'gemm'], dir);
    expect(r.code, r.stderr).toBe(0);
    // 7 variants on three boards, five on the M3: its 64 KiB of RAM holds gemm's data beside the
    // host natively and in a Wasm box whose memory is sized (its native stack measured, not the
    // recipe's 8 KiB again), but not mask's power of two or wasm2c's 64 KiB page.
    expect(r.stderr).toContain("bento: 26 runs (2 did not fit their board's RAM), every variant agrees on every checksum");
    // Soft float on the M3 gives gemm's checksum to the bit (bench/kernels/README.md).
    expect(r.stderr).toMatch(/^ {2}lm3s6965 gemm +native-clang +\d+ instructions {2}checksum 85945144$/m);
    for (const board of ['stm32f405', 'm33', 'm55']) {
      const table = section(r.stdout, `${board}: instructions, as a ratio to native-clang`);
      expect(table).toContain(`| kernel | native-clang (instructions) ${variants}`);
      expect(table).toMatch(new RegExp(`^\\| gemm \\| [\\d,]+( \\| ${ratio}){6} \\|$`, 'm'));
    }
    const m3 = section(r.stdout, 'lm3s6965: instructions, as a ratio to native-clang');
    expect(m3).toMatch(new RegExp(`^\\| gemm \\| [\\d,]+( \\| ${ratio}){2} \\| did not fit( \\| ${ratio}){2} \\| did not fit \\|$`, 'm'));
    // The sized memories of software, mpu and none fit; mask's power of two does not.
    const unfit = [...m3.matchAll(/^- gemm as ((?:wasm-[a-z]+(?:, )?)+): did not fit: needs \d+ KiB of RAM, lm3s6965 has 64 KiB$/gm)].flatMap((m) => m[1]!.split(', '));
    expect(unfit.sort()).toEqual(['wasm-mask']);
    expect(m3).toMatch(/^- gemm as wasm2c: did not fit: needs \d+ KiB of RAM, lm3s6965 has 64 KiB$/m);
    // The call across a box boundary, on every board: bench/calls' C box has a memory sized to it.
    // Nine kinds of call: Wasm, native, with a buffer, eight words, an instance, a callback; and
    // out of a Wasm box into the host, with a buffer, and into another Wasm box.
    for (const board of ['stm32f405', 'lm3s6965', 'm33', 'm55']) expect(r.stdout).toMatch(new RegExp(`^\\| ${board}(?: \\| \\d+){9} \\|$`, 'm'));
  });
});
