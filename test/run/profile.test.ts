// bento run --profile: the plugin's block counts folded into functions, and a run whose work is
// known: 100,000 iterations of a loop in spin_loop, which must lead the profile.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldCounts, formatProfile } from '../../src/run/profile.js';
import { bento, projectRoot } from '../support/cli.js';

describe('foldCounts', () => {
  const nm = ['00000100 00000020 T main', '00000120 00000010 t helper', '00000200 00000004 D data'].join('\n');

  it('adds instructions x runs of each block to the function around its address (Thumb bit ignored), the rest to ?', () => {
    const counts = ['101 4 10', '110 2 5', '121 3 100', '300 1 7', 'garbage'].join('\n');
    const profile = foldCounts(counts, nm);
    expect(profile.total).toBe(40 + 10 + 300 + 7);
    expect(profile.functions).toEqual([
      { name: 'helper', instructions: 300 },
      { name: 'main', instructions: 50 },
      { name: '?', instructions: 7 },
    ]);
    expect(formatProfile(profile, 1).split('\n')).toEqual(['357  100.0%  (all instructions executed)', '300   84.0%  helper']);
  });
});

describe('bento run --profile', () => {
  it('puts the loop that does the work first, with at least a load, an add and a store an iteration', { timeout: 300_000 }, async () => {
    const fixtures = join(projectRoot, 'test/fixtures/native');
    const r = await bento(['run', 'm4', '--recipe', 'spin.toml', '--icount', '--profile'], fixtures);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('spun 100000');
    const table = join(fixtures, 'build', 'spin', 'm4', 'spin.profile.txt');
    expect(existsSync(table)).toBe(true);
    const rows = readFileSync(table, 'utf8').trim().split('\n');
    const first = /^\s*(\d+)\s+[\d.]+%\s+(\S+)$/.exec(rows[1]!);
    expect(first?.[2], rows.join('\n')).toBe('spin_loop');
    const spin = Number(first![1]);
    expect(spin).toBeGreaterThanOrEqual(300_000);
    expect(spin).toBeLessThan(1_000_000);
    expect(r.stderr).toMatch(/bento: instructions per function/);
    expect(r.stderr).toMatch(/^\s*\d+\s+[\d.]+%\s+spin_loop$/m);
  });
});
