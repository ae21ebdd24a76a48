// Random valid modules from binaryen's fuzzer (`wasm-opt --translate-to-fuzz`), which turns
// random bytes into a module deterministically, plus the two helper modules every script uses.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random } from './random.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * What the fuzzer may use: what bento compiles, less reference types. binaryen 108 (Debian 12)
 * builds `anyref` values whenever reference types are on, which is not Wasm 2.0 (V8 and bento
 * both reject such modules), so reference types stay off. `--denan` turns every NaN a float
 * operation makes into 0: NaN bits are the engine's choice (x86 makes a negative one, Arm a
 * positive one), and with them in memory or in the logs nothing could be compared exactly.
 */
export const fuzzFlags = [
  '--mvp-features',
  '--enable-sign-ext',
  '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int',
  '--enable-bulk-memory',
  '--enable-multivalue',
  '--denan',
] as const;

/** Why the differential run cannot work here, or undefined when it can. */
export function missingTools(): string | undefined {
  for (const [tool, pkg] of [
    ['wasm-opt', 'binaryen'],
    ['wat2wasm', 'wabt'],
  ] as const) {
    try {
      execFileSync(tool, ['--version'], { stdio: 'ignore' });
    } catch {
      return `${tool} (Debian package ${pkg}) is not installed`;
    }
  }
  return undefined;
}

export interface FuzzModule {
  /** Names the module in scripts and reports: `fuzz-12` (binaryen's), `gen-12` (ours). */
  id: string;
  seed: number;
  file: string;
  bytes: Uint8Array;
}

/** Bytes of fuzzer input: more bytes give more and longer functions (and longer compiles). */
const inputBytes = { min: 4096, max: 32768 };

/** The module of `seed`, written to `<dir>/fuzz-<seed>.wasm`. */
export function generateModule(seed: number, dir: string): FuzzModule {
  mkdirSync(dir, { recursive: true });
  const random = new Random(seed);
  const input = join(dir, `fuzz-${seed}.bin`);
  const file = join(dir, `fuzz-${seed}.wasm`);
  writeFileSync(input, random.bytes(inputBytes.min + random.below(inputBytes.max - inputBytes.min)));
  // The fuzzer warns about NaNs it cannot instrument (in global initialisers); they are harmless.
  execFileSync('wasm-opt', [input, '--translate-to-fuzz', ...fuzzFlags, '-o', file], { stdio: ['ignore', 'ignore', 'ignore'] });
  return { id: `fuzz-${seed}`, seed, file, bytes: readFileSync(file) };
}

export interface Helpers {
  /** "fuzzing-support": the log-* functions, and "take" (the hash of what was logged). */
  logger: string;
  /** Imports "fuzz" "memory"; "hash" hashes all of it. */
  hasher: string;
}

/** Assembles the helper modules into `dir`. */
export function buildHelpers(dir: string): Helpers {
  mkdirSync(dir, { recursive: true });
  const out = (name: string) => {
    const file = join(dir, `${name}.wasm`);
    execFileSync('wat2wasm', [join(here, `${name}.wat`), '-o', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    return file;
  };
  return { logger: out('logger'), hasher: out('hasher') };
}
