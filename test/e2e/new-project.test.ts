// A new user's first hour, as the README's quick start has it: bento installed globally, a project
// from `bento new`, built for two boards, its sizes (the parts add up to the totals), and its run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bento, projectRoot } from '../support/cli.js';
import { normalise } from '../support/uart.js';

interface PartJson {
  name: string;
  flash: { code: number; data: number; total: number };
  ram: { stack: number; data: number; bss: number; heap: number; memory: number; total: number };
}
interface BuildJson {
  board: string;
  elf: string;
  upToDate: boolean;
  flash: { used: number; capacity: number };
  ram: { used: number; capacity: number };
  parts: PartJson[];
  other: { flash: number; ram: number };
}

const work = mkdtempSync(join(tmpdir(), 'bento-new-'));
const dir = join(work, 'blinky');

describe('bento new, installed with npm install -g', () => {
  const prefix = join(work, 'global');
  const globalBento = join(prefix, 'bin', 'bento');

  beforeAll(() => {
    // What the README says: `npm install -g .` in the clone (a link to it, so set-up stays in one place).
    execFileSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', projectRoot], { stdio: 'pipe' });
  }, 120_000);

  it('gives a bento that works in any folder and writes a project there', () => {
    expect(execFileSync(globalBento, ['--version'], { cwd: work, encoding: 'utf8' })).toMatch(/^bento \d+\.\d+\.\d+/);
    const out = execFileSync(globalBento, ['new', 'blinky'], { cwd: work, encoding: 'utf8' });
    expect(out).toContain('Created blinky in blinky/ (template two-box, board m4)');
    for (const f of ['bento.toml', 'README.md', '.gitignore', 'src/main.c', 'boxes/checksum.c', 'boxes/counter.c']) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(readFileSync(join(dir, 'bento.toml'), 'utf8')).toMatch(/^name = "blinky"$/m);
  });

  it('refuses a folder that is not empty, and an unknown template, writing nothing', async () => {
    const again = await bento(['new', 'blinky'], work);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('blinky already exists and is not an empty folder');
    const typo = await bento(['new', 'other', '--template', 'two-boxes'], work);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("did you mean 'two-box'?");
    expect(existsSync(join(work, 'other'))).toBe(false);
  });
});

describe('the new project', () => {
  it('builds for two boards at once, with --json sizes whose parts add up to the totals', async () => {
    const r = await bento(['build', 'm4', 'm7', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const builds = JSON.parse(r.stdout) as BuildJson[];
    expect(builds.map((b) => b.board)).toEqual(['m4', 'm7']);
    for (const b of builds) {
      expect(b.parts.map((p) => p.name)).toEqual(['host', 'checksum', 'counter']);
      const sum = (f: (p: PartJson) => number) => b.parts.reduce((n, p) => n + f(p), 0);
      expect(sum((p) => p.flash.total) + b.other.flash).toBe(b.flash.used);
      expect(sum((p) => p.ram.total) + b.other.ram).toBe(b.ram.used);
      for (const p of b.parts) {
        expect(p.flash.total).toBe(p.flash.code + p.flash.data);
        expect(p.ram.total).toBe(p.ram.stack + p.ram.data + p.ram.bss + p.ram.heap + p.ram.memory);
      }
      expect(b.parts[0]!.ram.heap).toBe(8192);
      expect(b.parts[1]!.ram.memory).toBeGreaterThan(0);
      expect(b.flash.capacity).toBe(4 * 1024 * 1024);
      // Nothing temporary stays in the build folder (the native box's combined object before renaming, a link's .tmp).
      expect(readdirSync(join(dir, 'build', b.board), { recursive: true }).filter((f) => String(f).endsWith('.tmp'))).toEqual([]);
    }
  }, 600_000);

  it('says in one line that a second build has nothing to do; bento size gives the same numbers', async () => {
    const again = await bento(['build', 'm4'], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    const json = JSON.parse((await bento(['size', '--board', 'm4', '--json'], dir)).stdout) as BuildJson;
    expect(json.upToDate).toBe(true);
    const text = (await bento(['size', 'm4'], dir)).stdout;
    expect(text).toContain(`RAM:   [`);
    expect(text).toContain(`(used ${json.ram.used} bytes from ${json.ram.capacity} bytes)`);
    expect(text).toContain(`(used ${json.flash.used} bytes from ${json.flash.capacity} bytes)`);
    const host = json.parts[0]!;
    expect(text).toMatch(new RegExp(`^  host\\n    Flash: .*\\(used ${host.flash.total} bytes from ${json.flash.capacity} bytes\\): code ${host.flash.code}, data ${host.flash.data}$`, 'm'));
  }, 300_000);

  it('runs as its README says: both boxes answer, the counter faults and restarts', async () => {
    const r = await bento(['run', 'm4'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(normalise(r.stdout)).toContain(
      ['crc16("123456789") = 0x29b1', 'tally(1) = 1', 'tally(2) = 3', 'tally(3) = 6'].join('\n'),
    );
    expect(r.stdout).toContain('tally(-1) = -26 (memory fault (MPU))');
    expect(r.stdout).toContain('tally(1) = 1 after the restart');
  }, 300_000);

  it('passes its own bento test, and a changed expectation fails it with the difference', async () => {
    const r = await bento(['test'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASS smoke on m4 \([\d.]+ s\)$/m);
    expect(r.stdout).toMatch(/^1 passed, 0 failed, 0 skipped$/m);
    const expected = join(dir, 'test', 'smoke.expected');
    writeFileSync(expected, readFileSync(expected, 'utf8').replace('tally(3) = 6', 'tally(3) = 7'));
    const failed = await bento(['test'], dir);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^FAIL smoke on m4/m);
    expect(failed.stdout).toContain('- tally(3) = 7');
    expect(failed.stdout).toContain('+ tally(3) = 6');
  }, 300_000);
});

describe("the new project's limits", () => {
  it('a code limit or a RAM region that does not fit is reported at its place in the recipe', async () => {
    const recipe = readFileSync(join(dir, 'bento.toml'), 'utf8');
    writeFileSync(join(dir, 'limits.toml'), recipe.replace('runtime = "native"', 'runtime = "native"\ncode = 10'));
    const code = await bento(['build', 'm4', '--recipe', 'limits.toml'], dir);
    expect(code.code).toBe(1);
    const codeLine = recipe.replace('runtime = "native"', 'runtime = "native"\ncode = 10').split('\n').indexOf('code = 10') + 1;
    expect(code.stderr).toMatch(new RegExp(`limits\\.toml:${codeLine}:8: error\\[B2001\\]: box counter needs \\d+ bytes of code, but its recipe allows 10`));
    // The default 64 KiB host heap leaves no room for the boxes on a 64 KiB part.
    writeFileSync(join(dir, 'big-heap.toml'), recipe.replace('heap = "8 KiB"', 'heap = "64 KiB"'));
    const ram = await bento(['build', 'lm3s6965', '--recipe', 'big-heap.toml'], dir);
    expect(ram.code).toBe(1);
    const boxLine = recipe.split('\n').indexOf('[box.counter]') + 1;
    expect(ram.stderr).toMatch(new RegExp(`big-heap\\.toml:${boxLine}:\\d+: error\\[B2001\\]: box counter RAM needs`));
  }, 300_000);
});

describe('bento new for a 64 KiB part', () => {
  it('writes a project that passes its test on the lm3s6965 as written', async () => {
    const made = await bento(['new', 'tiny', '--board', 'lm3s6965'], work);
    expect(made.code, made.stderr).toBe(0);
    expect(readFileSync(join(work, 'tiny', 'test', 'smoke.toml'), 'utf8')).toContain('boards = ["lm3s6965"]');
    const r = await bento(['test'], join(work, 'tiny'));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^1 passed, 0 failed, 0 skipped$/m);
  }, 300_000);
});
