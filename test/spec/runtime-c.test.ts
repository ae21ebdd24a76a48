// runtime-c/spec compiles warning-free for both boards, with the defines the harness passes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { boardCFlags } from '../../src/compile/native-c.js';
import { loadBoard } from '../../src/config/board.js';
import { projectRoot } from '../support/cli.js';

const specDir = join(projectRoot, 'runtime-c', 'spec');
const sources = readdirSync(specDir).filter((f) => f.endsWith('.c'));
const outDir = mkdtempSync(join(tmpdir(), 'bento-spec-cc-'));

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe.each(['m4', 'm7'])('runtime-c/spec for %s', (name) => {
  it('compiles without warnings', () => {
    const board = loadBoard(name);
    expect(sources).toEqual(['driver.c', 'policy.c', 'spectest.c']);
    for (const source of sources) {
      const flags = [...boardCFlags(board), '-O2', '-Wall', '-Wextra', '-I', specDir, '-DBENTO_SPEC_STACK_RESERVE=65536u', '-DBENTO_SPEC_STEP_LIMIT_MS=5000u', `-DBENTO_SPEC_CPU_HZ=${board.cpu.clockHz}u`];
      const r = spawnSync('clang-14', [...flags, '-c', join(specDir, source), '-o', join(outDir, `${name}-${source}.o`)], { encoding: 'utf8' });
      expect(r.status, `${source}:\n${r.stderr}`).toBe(0);
      expect(r.stderr, source).toBe('');
    }
  });
});
