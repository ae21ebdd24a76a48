// The box runtime's behaviour, end to end on both boards (test/fixtures/boxes/semantics): values
// of every width across the boundary, nullable and constant arrays, a .wat box, bounds
// strategies inside the MPU, re-entry, a buffer too big for the callee's stack, the restart
// limit, and a panic that stops the system with exit code 155.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bento, projectRoot } from '../support/cli.js';
import { normalise } from '../support/uart.js';

const dir = join(projectRoot, 'test/fixtures/boxes/semantics');

describe.each(['m4', 'm7'])('box semantics on %s', (board) => {
  it('match the expected UART output and end in a panic (exit 155)', async () => {
    const built = await bento(['build', board], dir);
    expect(built.code, built.stderr).toBe(0);
    const run = await bento(['run', board], dir);
    expect(normalise(run.stdout)).toBe(readFileSync(join(dir, 'expected.txt'), 'utf8'));
    expect(run.code).toBe(155);
    expect(run.stderr).toContain('a box panicked');
  });
});
