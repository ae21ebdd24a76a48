import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

const cache = join(tmpdir(), 'bento-wasm-testsuite');

/**
 * Converts one .wast of the suite with wast2json, once: the cache is keyed by the file's
 * contents, and concurrent test workers may race for it. Gives the folder (x.json and the
 * modules).
 */
export function convertWast(file: string): string {
  const source = readFileSync(join(specSuite, file));
  const key = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const dir = join(cache, `${file.replace(/\.wast$/, '')}-${key}`);
  if (!existsSync(join(dir, 'x.json'))) {
    const partial = `${dir}.tmp-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    execFileSync('wast2json', [join(specSuite, file), '-o', join(partial, 'x.json')], { stdio: ['ignore', 'ignore', 'pipe'] });
    rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(partial, dir);
    } catch {
      // Another worker converted it first.
      rmSync(partial, { recursive: true, force: true });
    }
  }
  return dir;
}
