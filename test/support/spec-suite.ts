import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './cli.js';

/** The official spec suite beside the project (../shared/wasm-testsuite); a user's clone has none. */
export const specSuite = join(projectRoot, '..', 'shared', 'wasm-testsuite');

/** Why tests over the spec suite cannot run here, or undefined when they can. */
export function specSuiteMissing(): string | undefined {
  if (!existsSync(specSuite)) return `the spec test suite is not at ${specSuite}`;
  try {
    execFileSync('wast2json', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'wast2json (Debian package wabt) is not installed';
  }
  return undefined;
}
