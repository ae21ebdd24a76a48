// A Wasm box with `heap = "32 KiB"` (test/fixtures/boxes/wasm-heap): the heap belongs to its
// linear memory, not its RAM region, so the image links (it used to fail with "its heap does not
// fit in its RAM region"), the linear memory region grows by it (one page initial, 128 KiB
// region), and malloc reaches into it through memory.grow: five blocks of 16 KiB, where the
// initial page alone holds three.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bento, projectRoot } from '../support/cli.js';

const dir = join(projectRoot, 'test/fixtures/boxes/wasm-heap');

describe.each(['m4', 'm7'])('a Wasm box with a heap on %s', (board) => {
  it('links, and malloc gets the heap', async () => {
    const built = await bento(['build', board], dir);
    expect(built.code, built.stderr).toBe(0);
    const run = await bento(['run', board], dir);
    expect(run.stdout).toBe(readFileSync(join(dir, 'expected.txt'), 'utf8'));
    expect(run.code, run.stderr).toBe(0);
  });
});
