// Boxes entered straight (runtime-c/box/direct.c; Wasm with software bounds, src/plan/entry.ts),
// end to end (test/fixtures/boxes/direct): a trap, a stack overflow and a used-up budget (integer
// and float loops) each come back as their code with the host's r4-r11 and s16-s31 intact, and the
// box restarts; loads and stores at host addresses trap, a host address passed to an import is
// refused before the host function runs; a box -> host -> box call enters both straight.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bento, projectRoot } from '../support/cli.js';
import { normalise } from '../support/uart.js';

const dir = join(projectRoot, 'test/fixtures/boxes/direct');

describe.each(['m4', 'm7', 'm33'])('boxes entered straight on %s', (board) => {
  it('unwind every abort to the host with its code and the host registers intact', async () => {
    const built = await bento(['build', board], dir);
    expect(built.code, built.stderr).toBe(0);
    const run = await bento(['run', board, '--icount'], dir);
    expect(normalise(run.stdout)).toBe(readFileSync(join(dir, 'expected.txt'), 'utf8'));
    expect(run.code, run.stderr).toBe(0);
  });
});
