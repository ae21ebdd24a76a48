// Bounds checks merged across accesses through one address (src/lower/check-merge.ts) trap
// exactly where unmerged ones would: test/fixtures/lower/check-merge.wast on the M4.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/config/board.js';
import { runSpec } from '../../src/spec/run.js';
import { projectRoot } from '../support/cli.js';

describe('merged bounds checks', () => {
  it('trap where the unmerged checks would, after every earlier store', async () => {
    const summary = await runSpec({
      board: loadBoard('m4'),
      files: [join(projectRoot, 'test', 'fixtures', 'lower', 'check-merge.wast')],
      outDir: join(projectRoot, 'build', 'test-check-merge'),
      timeoutSeconds: 120,
      jobs: 1,
    });
    const failures = summary.scripts.flatMap((s) => s.results.filter((r) => r.status !== 'passed').map((r) => `${s.name}:${r.line}: ${r.status} ${r.detail ?? ''}`));
    expect(failures).toEqual([]);
    expect(summary.passed).toBe(16);
  }, 300_000);
});
