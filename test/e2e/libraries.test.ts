// Real libraries (third-party/littlefs, third-party/cjson, unmodified) on the workloads of
// bench/libraries: each built natively (its host-only recipe, `bento run m4 --icount`), as a
// WASI program (`bento run-wasm --board m4 --icount`) and by the system gcc for this machine;
// the three must print the same result lines. Then cJSON on a hostile input: arrays nested
// deeper than a 16 KiB stack holds, which must end in a trap, not in corrupted memory.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildWasi, librariesDir, referenceOutput, resultLines } from '../../src/bench/libraries.js';
import { bento, projectRoot } from '../support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'bento-libraries-'));

/** What each workload's result line must say besides its numbers: everything read back, no error. */
const healthy: Record<string, RegExp> = {
  littlefs: /^littlefs: files 8, bytes \d+, mismatches 0, entries 9, blocks used \d+, reads \d+, progs \d+, erases \d+, error 0, checksum [0-9a-f]{8}, image [0-9a-f]{8}$/,
  cjson: /^cjson: documents 10, bytes \d+, .*, equal 10, failures 0, sum [\d.]+ \([0-9a-f]{16}\), checksum [0-9a-f]{8}$/,
};

/** The workload's instruction count from its count line (count.h), wherever it was printed. */
function counted(workload: string, text: string): number {
  const m = new RegExp(`^count ${workload} (\\d+) stack (\\d+) heap (\\d+)$`, 'm').exec(text);
  expect(m, `no count line for ${workload} in:\n${text}`).not.toBeNull();
  return Number(m![1]);
}

describe.each(['littlefs', 'cjson'])('the %s workload', (workload) => {
  let reference = '';
  let wasm = '';
  beforeAll(async () => {
    reference = resultLines(workload, await referenceOutput(workload, join(work, 'gcc')));
    wasm = await buildWasi(workload, join(work, 'wasi', workload));
  }, 300_000);

  it('built by gcc for this machine prints one healthy result line', () => {
    expect(reference).toMatch(healthy[workload]!);
  });

  it('prints the same natively on the m4', { timeout: 300_000 }, async () => {
    const r = await bento(['run', 'm4', '--icount'], join(librariesDir, workload));
    expect(r.code, r.stderr).toBe(0);
    expect(resultLines(workload, r.stdout)).toBe(reference);
    expect(counted(workload, r.stdout)).toBeGreaterThan(100_000);
  });

  it('prints the same as a WASI program on the m4', { timeout: 300_000 }, async () => {
    const r = await bento(['run-wasm', wasm, '--board', 'm4', '--icount', '--out-dir', join(work, 'run-wasm', workload)]);
    expect(r.code, r.stderr).toBe(0);
    expect(resultLines(workload, r.stdout)).toBe(reference);
    expect(counted(workload, r.stderr)).toBeGreaterThan(100_000);
  });
});

describe('cJSON on arrays nested up to its limit', () => {
  const sources = [join(librariesDir, 'cjson-hostile.c'), join(projectRoot, 'third-party', 'cjson', 'cJSON.c')];
  const include = ['-I', join(projectRoot, 'third-party', 'cjson')];

  it('gets through every depth with gcc, and rejects one past the limit', () => {
    const exe = join(work, 'hostile-gcc');
    execFileSync('gcc', ['-O2', ...include, ...sources, '-o', exe, '-lm']);
    const out = execFileSync(exe, { encoding: 'utf8' });
    expect(out).toContain('depth 1000: parsed, printed the same');
    expect(out).toContain('depth 1001: rejected at offset 1000');
  });

  it('traps with "call stack exhausted" under run-wasm with a 16 KiB stack, where the depth outgrows it', { timeout: 300_000 }, async () => {
    const wasm = join(work, 'hostile.wasm');
    execFileSync('clang-14', ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', ...include, ...sources, '-o', wasm, '-lm']);
    const r = await bento(['run-wasm', wasm, '--board', 'm4', '--stack', '16K', '--out-dir', join(work, 'run-wasm', 'hostile')]);
    expect(r.code).toBe(134);
    expect(r.stderr).toContain('trap: call stack exhausted');
    const lines = r.stdout.trim().split('\n');
    // Shallow trees go through; the trap comes while parsing a deeper one, and nothing after it runs.
    expect(lines).toContain('depth 10: parsed, printed the same');
    expect(lines.at(-1)).toMatch(/^depth \d+: parsing$/);
    expect(r.stdout).not.toContain('depth 1000: parsed');
  });
});
