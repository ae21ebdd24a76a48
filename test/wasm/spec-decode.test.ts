// The official WebAssembly 2.0 core test suite, binary side: every module the suite expects to
// load must decode and validate, every binary it calls malformed must fail with B3001 and every
// binary it calls invalid with B3002. SIMD files are left out (bento rejects SIMD, B3003), and
// so are text-format cases (bento reads only binaries).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BentoError } from '../../src/diagnostics/error.js';
import { decodeModule } from '../../src/wasm/decode.js';
import { validateModule } from '../../src/wasm/validate/validate.js';
import { projectRoot } from '../support/cli.js';
import { convertWast, specSuite, specSuiteMissing } from '../support/spec-suite.js';

const suite = specSuite;


const missing = specSuiteMissing();
if (missing !== undefined) console.warn(`spec-decode: skipping the spec conformance tests: ${missing}`);
const files = missing === undefined ? readdirSync(suite).filter((f) => f.endsWith('.wast') && !f.startsWith('simd_')).sort() : [];

interface Command {
  type: string;
  line: number;
  filename?: string;
  module_type?: string;
  text?: string;
}

type Category = 'module' | 'malformed' | 'invalid' | 'unlinkable' | 'uninstantiable' | 'trap';
type Expected = 'ok' | 'B3001' | 'B3002';

/** What a command asks of the decoder and validator, or undefined when it is not for us. */
function expectation(cmd: Command): { category: Category; expected: Expected } | undefined {
  if (cmd.filename === undefined || !cmd.filename.endsWith('.wasm')) return undefined;
  switch (cmd.type) {
    case 'module':
      return { category: 'module', expected: 'ok' };
    case 'assert_malformed':
      return { category: 'malformed', expected: 'B3001' };
    case 'assert_invalid':
      return { category: 'invalid', expected: 'B3002' };
    case 'assert_unlinkable':
      return { category: 'unlinkable', expected: 'ok' };
    case 'assert_uninstantiable':
      return { category: 'uninstantiable', expected: 'ok' };
    case 'assert_trap':
      return { category: 'trap', expected: 'ok' };
    default:
      return undefined;
  }
}

/** Converts a .wast file once (shared cache); gives its folder and commands. */
function convert(file: string): { dir: string; commands: Command[] } {
  const dir = convertWast(file);
  return { dir, commands: (JSON.parse(readFileSync(join(dir, 'x.json'), 'utf8')) as { commands: Command[] }).commands };
}

function outcome(bytes: Uint8Array, name: string): { result: string; message: string } {
  try {
    validateModule(decodeModule(bytes, name));
    return { result: 'ok', message: '' };
  } catch (error) {
    if (error instanceof BentoError) return { result: error.code, message: error.message };
    return { result: 'crash', message: String(error) };
  }
}

const totals = new Map<Category, { passed: number; failed: number }>();
let textSkipped = 0;

describe.skipIf(missing !== undefined)('spec test suite (binary modules)', () => {
  afterAll(() => {
    const parts = [...totals].map(([c, t]) => `${c} ${t.passed}/${t.passed + t.failed}`);
    console.log(`spec-decode totals over ${files.length} files: ${parts.join(', ')}; text-format cases skipped: ${textSkipped}`);
  });

  it.each(files)('%s', (file) => {
    const { dir, commands } = convert(file);
    const counts = new Map<Category, { passed: number; failed: number }>();
    const failures: string[] = [];
    for (const cmd of commands) {
      if (cmd.module_type === 'text') textSkipped++;
      const want = expectation(cmd);
      if (want === undefined) continue;
      const got = outcome(readFileSync(join(dir, cmd.filename!)), cmd.filename!);
      const count = counts.get(want.category) ?? { passed: 0, failed: 0 };
      counts.set(want.category, count);
      const total = totals.get(want.category) ?? { passed: 0, failed: 0 };
      totals.set(want.category, total);
      if (got.result === want.expected) {
        count.passed++;
        total.passed++;
      } else {
        count.failed++;
        total.failed++;
        failures.push(`${file}:${cmd.line} ${cmd.type}: expected ${want.expected}, got ${got.result} ${got.message} (suite: ${cmd.text ?? ''})`);
      }
    }
    console.log(`${file}: ${[...counts].map(([c, t]) => `${c} ${t.passed}/${t.passed + t.failed}`).join(', ') || 'no binary cases'}`);
    expect(failures).toEqual([]);
  });
});

if (missing !== undefined) it.skip(`spec test suite: ${missing}`, () => {});
