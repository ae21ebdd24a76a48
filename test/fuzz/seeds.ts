// The seed corpus: every binary module of the official spec suite (converted with wast2json into
// the same content-keyed cache the spec-decode test uses; SIMD files included, since bento must
// refuse them cleanly), the Wasm boxes of the examples and fixtures that `bento build` left
// behind, and the fixtures' .wat files. Missing sources are skipped with a message.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { projectRoot } from '../support/cli.js';
import { convertWast, specSuite, specSuiteMissing } from '../support/spec-suite.js';

export interface Seed {
  /** Where it came from, for reports: "spec/br_table.37.wasm", "examples/qsort/sorter". */
  name: string;
  bytes: Uint8Array;
}

export interface SeedCorpus {
  seeds: Seed[];
  /** Why a source gave nothing. */
  skipped: string[];
}

function specSeeds(skipped: string[]): Seed[] {
  const missing = specSuiteMissing();
  if (missing !== undefined) {
    skipped.push(`spec suite: ${missing}`);
    return [];
  }
  const seeds: Seed[] = [];
  for (const file of readdirSync(specSuite).filter((f) => f.endsWith('.wast')).sort()) {
    const dir = convertWast(file);
    const base = file.replace(/\.wast$/, '');
    const wasm = readdirSync(dir).filter((f) => f.endsWith('.wasm'));
    wasm.sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
    for (const w of wasm) seeds.push({ name: `spec/${base}.${w.split('.')[1]}.wasm`, bytes: readFileSync(join(dir, w)) });
  }
  return seeds;
}

/** `module.wasm` of every Wasm box a build left under examples/ and test/fixtures/. */
function builtBoxSeeds(skipped: string[]): Seed[] {
  const seeds: Seed[] = [];
  const roots = [join(projectRoot, 'examples'), join(projectRoot, 'test', 'fixtures', 'boxes')];
  for (const root of roots) {
    if (!existsSync(root)) continue;
    for (const project of readdirSync(root).sort()) {
      const boxes = join(root, project, 'build', 'm4', 'obj', 'box');
      if (!existsSync(boxes)) continue;
      for (const box of readdirSync(boxes).sort()) {
        const file = join(boxes, box, 'module.wasm');
        if (existsSync(file)) seeds.push({ name: `${relative(projectRoot, join(root, project))}/${box}`, bytes: readFileSync(file) });
      }
    }
  }
  if (seeds.length === 0) skipped.push('example boxes: none built (run `npx bento build m4` in examples/<ex> to add them)');
  return seeds;
}

function findWat(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === 'build' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) findWat(path, out);
    else if (entry.name.endsWith('.wat')) out.push(path);
  }
}

function watSeeds(skipped: string[]): Seed[] {
  const files: string[] = [];
  findWat(join(projectRoot, 'examples'), files);
  findWat(join(projectRoot, 'test', 'fixtures'), files);
  if (files.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), 'bento-fuzz-wat-'));
  const seeds: Seed[] = [];
  try {
    files.forEach((file, i) => {
      const out = join(dir, `${i}.wasm`);
      try {
        execFileSync('wat2wasm', [file, '-o', out], { stdio: ['ignore', 'ignore', 'pipe'] });
        seeds.push({ name: relative(projectRoot, file), bytes: readFileSync(out) });
      } catch {
        skipped.push(`${relative(projectRoot, file)}: wat2wasm failed`);
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return seeds;
}

export function loadSeeds(): SeedCorpus {
  const skipped: string[] = [];
  const seeds = [...specSeeds(skipped), ...builtBoxSeeds(skipped), ...watSeeds(skipped)];
  return { seeds, skipped };
}
