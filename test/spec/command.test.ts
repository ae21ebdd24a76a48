// src/cli/commands/spec.ts (kept here, with the harness's other tests).
import { describe, expect, it } from 'vitest';
import { specCommand } from '../../src/cli/commands/spec.js';
import { commandHelp } from '../../src/cli/command.js';
import { BentoError } from '../../src/diagnostics/error.js';
import { resolveScripts } from '../../src/spec/run.js';

async function code(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (err) {
    return err instanceof BentoError ? err.code : 'not a BentoError';
  }
}

describe('bento spec', () => {
  it('documents its options', () => {
    const help = commandHelp(specCommand);
    for (const option of ['--board', '--suite', '--out-dir', '--timeout', '--jobs']) expect(help).toContain(option);
  });

  it('refuses a bad command line', async () => {
    expect(await code(() => specCommand.run([], {}))).toBe('B9001');
    expect(await code(() => specCommand.run([], { board: 'm4', jobs: '0' }))).toBe('B9001');
    expect(await code(() => specCommand.run(['no-such-script'], { board: 'm4', suite: '/nonexistent' }))).toBe('B1007');
  });

  it('says where it looked for a suite or a script that is not there', async () => {
    expect(await code(async () => resolveScripts([], '/nonexistent'))).toBe('B1007');
    expect(() => resolveScripts(['i32'], '/nonexistent')).toThrow(BentoError);
  });
});
