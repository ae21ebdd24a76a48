// Incremental builds of a recipe with boxes: nothing is redone when nothing changed, and a
// changed box rebuilds only itself (plus the link).
import { cpSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bento, projectRoot } from '../support/cli.js';

const rebuilt = (stderr: string) =>
  stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(compiled|linked|assembled)/.test(l));

describe('incremental builds of examples/mixed', () => {
  it('redo nothing without a change, and only the changed box after one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bento-incremental-'));
    cpSync(join(projectRoot, 'examples/mixed'), dir, { recursive: true, filter: (src) => !src.includes('/build') });
    rmSync(join(dir, 'build'), { recursive: true, force: true });
    const cold = await bento(['build', 'm4'], dir);
    expect(cold.code, cold.stderr).toBe(0);
    expect(rebuilt(cold.stderr)).toContain('linked build/m4/mixed.elf');

    const warm = await bento(['build', 'm4', '-v'], dir);
    expect(warm.code).toBe(0);
    expect(rebuilt(warm.stderr)).toEqual([]);
    expect(warm.stderr).toContain('up to date build/m4/mixed.elf');
    // Without -v, a build with nothing to do is one line (no native stack lines, no header).
    const quiet = await bento(['build', 'm4'], dir);
    expect(quiet.stderr).toMatch(/^mixed for m4 is up to date: build\/m4\/mixed\.elf \(RAM [\d.]+%, flash [\d.]+%\)\n$/);

    const later = new Date(Date.now() + 2000);
    utimesSync(join(dir, 'filter.c'), later, later);
    const changed = await bento(['build', 'm4'], dir);
    expect(changed.code).toBe(0);
    const redone = rebuilt(changed.stderr);
    expect(redone.some((l) => l.includes('filter.c'))).toBe(true);
    expect(redone.some((l) => l.includes('sensor') || l.includes('main.c'))).toBe(false);
    expect(redone.at(-1)).toBe('linked build/m4/mixed.elf');
  });
});
