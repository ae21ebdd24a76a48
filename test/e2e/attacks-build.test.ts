// Attacks a native box makes at build time (test/fixtures/boxes/attacks/build-time): a
// constructor, which the startup code would run privileged before main (it turns the MPU off
// and writes host data), and a call to a host function the box did not import. Neither may
// reach an image: the build must fail, naming the box, the source and the section or symbol,
// and leave no image behind, on both boards.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bento, projectRoot } from '../support/cli.js';

const dir = join(projectRoot, 'test/fixtures/boxes/attacks/build-time');
const boards = ['m4', 'm7'] as const;

async function buildFails(board: string, recipe: string, image: string) {
  // Each recipe of the folder builds into its own build/<recipe>/<board>/.
  const out = join(dir, 'build', recipe.replace(/\.toml$/, ''), board);
  rmSync(out, { recursive: true, force: true });
  const r = await bento(['build', board, '--recipe', recipe], dir);
  expect(r.code, r.stderr).toBe(1);
  for (const ext of ['elf', 'bin', 'map']) expect(existsSync(join(out, `${image}.${ext}`)), `no ${image}.${ext}`).toBe(false);
  return r.stderr;
}

describe.each(boards)('build-time attacks on %s', (board) => {
  it('a constructor that turns the MPU off is refused, and so is its write to host data', async () => {
    const stderr = await buildFails(board, 'saboteur.toml', 'attacks-saboteur');
    expect(stderr).toMatch(/saboteur\.c \(section \.init_array\): error\[B2007\]: box saboteur: saboteur\.c has a constructor/);
    expect(stderr).toContain('hint: do the initialisation in an exported function the host calls first');
    expect(stderr).toMatch(/saboteur\.c:(10|14) \(symbol host_secret\): error\[B2008\]: box saboteur:/);
  });

  it('a call to a host function the box did not import is refused', async () => {
    const stderr = await buildFails(board, 'trespasser.toml', 'attacks-trespasser');
    expect(stderr).toMatch(/trespasser\.c:9 \(symbol host_unlock\): error\[B2008\]: box trespasser: trespasser\.c uses 'host_unlock'/);
    expect(stderr).toContain("hint: declare it in box.trespasser.imports or define it in the box's sources");
  });
});
