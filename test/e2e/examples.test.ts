// Every box example, built and run on the MPS2 boards and the ARMv8-M ones: the UART output must
// be exactly the example's expected.txt (fault addresses aside) and the run must end with exit
// code 0. examples/mixed on m33 and m55 is in armv8m.test.ts, with its 32-byte plan; the small
// STM32F405 and LM3S6965 run what fits them in boards.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bento, projectRoot } from '../support/cli.js';
import { normalise } from '../support/uart.js';

const examples = ['hello', 'qsort', 'mandelbrot', 'mixed', 'badbox', 'small-part', 'sampling'] as const;
const boardsFor = (example: string) => {
  // sampling drives the CMSDK timer of the MPS2 boards.
  if (example === 'mixed' || example === 'sampling') return ['m4', 'm7'];
  // Three Wasm boxes and the host in the LM3S6965's 64 KiB, on a PMSAv7 and a PMSAv8 board too.
  if (example === 'small-part') return ['lm3s6965', 'stm32f405', 'm55'];
  return ['m4', 'm7', 'm33', 'm55'];
};

describe.each(examples)('example %s', (example) => {
  const dir = join(projectRoot, 'examples', example);
  // {board} stands for the board's name in the expected output.
  const expected = readFileSync(join(dir, 'expected.txt'), 'utf8');

  it.each(boardsFor(example))('builds and runs on %s with the expected output', async (board) => {
    const built = await bento(['build', board], dir);
    expect(built.code, built.stderr).toBe(0);
    const run = await bento(['run', board, '--timeout', '120'], dir);
    expect(normalise(run.stdout)).toBe(expected.replaceAll('{board}', board));
    expect(run.code, run.stderr).toBe(0);
  });
});
