import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOnPath } from '../../src/run/children.js';

describe('findOnPath', () => {
  it('finds an executable on PATH, and nothing for a name that is not there', () => {
    expect(findOnPath('sh')).toMatch(/\/sh$/);
    expect(findOnPath('no-such-program-bento-looks-for')).toBeUndefined();
  });

  it('takes a path as it is when it names an executable', () => {
    const sh = findOnPath('sh')!;
    expect(findOnPath(sh)).toBe(sh);
    const dir = mkdtempSync(join(tmpdir(), 'bento-path-'));
    writeFileSync(join(dir, 'plain.txt'), 'not a program\n', { mode: 0o644 });
    expect(findOnPath(join(dir, 'plain.txt'))).toBeUndefined();
    expect(findOnPath(dir), 'a folder is no program').toBeUndefined();
  });
});
