// runtime-c/wasi and runtime-c/wasm compile without a single warning for both boards' CPUs,
// with stderr on the console and through semihosting (BENTO_STDERR_SEMIHOST).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../support/cli.js';

const cpus = {
  m4: ['-mcpu=cortex-m4', '-mfpu=fpv4-sp-d16'],
  m7: ['-mcpu=cortex-m7', '-mfpu=fpv5-d16'],
} as const;

const common = [
  '--target=thumbv7em-none-eabihf',
  '-mfloat-abi=hard',
  '-mthumb',
  '-fshort-enums',
  '-ffp-contract=off',
  '-isystem',
  '/usr/lib/arm-none-eabi/include',
  '-I',
  join(projectRoot, 'runtime-c/include'),
  '-DBENTO_UART_BASE=0x40004000u',
  '-DBENTO_COUNTER_ADDRESS=0x40028018u',
  '-DBENTO_COUNTER_HZ=25000000u',
  '-O2',
  '-Wall',
  '-Wextra',
];

const sources = ['wasi', 'wasm', 'string'].flatMap((dir) =>
  readdirSync(join(projectRoot, 'runtime-c', dir))
    .filter((f) => f.endsWith('.c'))
    .map((f) => `${dir}/${f}`),
);
const outDir = mkdtempSync(join(tmpdir(), 'bento-wasi-cc-'));

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe.each(Object.entries(cpus))('runtime-c/wasi and runtime-c/wasm for %s', (board, cpuFlags) => {
  it.each([
    ['stderr on the console', []],
    ['BENTO_STDERR_SEMIHOST', ['-DBENTO_STDERR_SEMIHOST']],
  ])('compile warning-free with %s', (_what, defines) => {
    expect(sources.length).toBeGreaterThanOrEqual(7);
    for (const source of sources) {
      const out = join(outDir, `${board}-${source.replace('/', '-')}.o`);
      const r = spawnSync('clang-14', [...common.slice(0, 1), ...cpuFlags, ...common.slice(1), ...defines, '-c', join(projectRoot, 'runtime-c', source), '-o', out], {
        encoding: 'utf8',
      });
      expect(r.status, `${source}:\n${r.stderr}`).toBe(0);
      expect(r.stderr, source).toBe('');
    }
  });
});
