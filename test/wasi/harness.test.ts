// runtime-c/wasi and runtime-c/wasm/traps.c on the emulated boards: test/wasi/harness/main.c
// calls every WASI function the way compiled code will (unaligned pointers, ranges at and past
// the end of guest memory, wrapping offsets) and ends through proc_exit(7).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bento, projectRoot } from '../support/cli.js';

const harness = join(projectRoot, 'test/wasi/harness');
const boards = ['m4', 'm7'] as const;

const trapLines = [
  'trap 0: unknown trap',
  'trap 1: unreachable',
  'trap 2: integer divide by zero',
  'trap 3: integer overflow',
  'trap 4: invalid conversion to integer',
  'trap 5: out of bounds memory access',
  'trap 6: out of bounds table access',
  'trap 7: uninitialized element',
  'trap 8: indirect call type mismatch',
  'trap 9: call stack exhausted',
  'trap 10: memory fault (MPU)',
  'trap 11: unknown trap',
];

/** The UART text, with the number of checks written as N. */
function expectedUart(board: string, stderrOnUart: boolean): string {
  const lines = [
    `wasi harness on ${board}`,
    'fd_write: two iovecs',
    ...(stderrOnUart ? ['fd_write: to fd 2'] : []),
    'fd_write: empty buffer at the end',
    'fd_write: iovecs at the end',
    ...trapLines,
    'wasi harness: N checks, 0 failures',
    'proc_exit(7) from harness',
  ];
  return lines.join('\n') + '\n';
}

const countChecks = (uart: string): string => uart.replace(/^wasi harness: \d+ checks/m, 'wasi harness: N checks');

/** Builds and runs one of the harness's two images (a folder with its bento.toml). */
async function buildAndRun(board: string, variant: 'console' | 'semihost') {
  const dir = join(harness, variant);
  const built = await bento(['build', board], dir);
  if (built.code !== 0) throw new Error(`build of ${variant} failed:\n${built.stderr}`);
  expect(built.stderr, 'no compiler warnings').not.toMatch(/warning:/);
  return bento(['run', board], dir);
}

describe.each(boards)('the WASI layer on %s', (board) => {
  it('passes every check, names every trap and exits through proc_exit', async () => {
    const r = await buildAndRun(board, 'console');
    expect(r.stdout).not.toMatch(/FAIL/);
    expect(r.code).toBe(7);
    expect(countChecks(r.stdout)).toBe(expectedUart(board, true));
  });

  it('sends fd 2 to the host stderr with BENTO_STDERR_SEMIHOST', async () => {
    const r = await buildAndRun(board, 'semihost');
    expect(r.code).toBe(7);
    expect(countChecks(r.stdout)).toBe(expectedUart(board, false));
    expect(r.stderr).toContain('fd_write: to fd 2\n');
  });
});
