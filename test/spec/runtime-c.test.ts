// runtime-c/spec compiles warning-free, with the defines the harness passes: for boards with a
// PSRAM and for boards without, where spectest's memory is left out.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { boardCFlags } from '../../src/compile/native-c.js';
import { loadBoard } from '../../src/config/board.js';
import { specLayout } from '../../src/spec/build.js';
import { projectRoot } from '../support/cli.js';

const specDir = join(projectRoot, 'runtime-c', 'spec');
const sources = readdirSync(specDir).filter((f) => f.endsWith('.c'));
const outDir = mkdtempSync(join(tmpdir(), 'bento-spec-cc-'));

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe.each(['m4', 'm7', 'stm32f405', 'lm3s6965'])('runtime-c/spec for %s', (name) => {
  it('compiles without warnings', () => {
    const board = loadBoard(name);
    const layout = specLayout(board);
    expect(sources).toEqual(['driver.c', 'policy.c', 'spectest.c']);
    for (const source of sources) {
      const flags = [...boardCFlags(board), '-O2', '-Wall', '-Wextra', '-I', specDir, `-DBENTO_SPEC_STACK_RESERVE=${layout.stackReserve}u`, `-DBENTO_SPEC_SPECTEST_PAGES=${layout.spectestPages}u`, '-DBENTO_SPEC_STEP_LIMIT_MS=5000u', `-DBENTO_SPEC_CPU_HZ=${board.cpu.clockHz}u`];
      const r = spawnSync('clang-14', [...flags, '-c', join(specDir, source), '-o', join(outDir, `${name}-${source}.o`)], { encoding: 'utf8' });
      expect(r.status, `${source}:\n${r.stderr}`).toBe(0);
      expect(r.stderr, source).toBe('');
    }
  });
});
