// The rules every fuzz input is held to. Decode and validate may only fail with a BentoError of a
// Wasm code (B3001 malformed, B3002 invalid, B3003 unsupported) whose every diagnostic is located:
// the file, a byte offset inside it, and a context (the section, where the decoder knows it).
// A module they accept must lower, optimise and compile; wabt's validator must agree with them.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileWasm, readWasm } from '../../src/compile/wasm.js';
import type { Board } from '../../src/config/board.js';
import { BentoError } from '../../src/diagnostics/error.js';
import type { BoundsStrategy, ResolvedImport } from '../../src/lower/types.js';
import { decodeModule } from '../../src/wasm/decode.js';
import type { Import, WasmModule } from '../../src/wasm/types.js';
import { validateModule } from '../../src/wasm/validate/validate.js';
import { joinSections, splitBodies, splitSections } from './encode.js';

export type FindingKind = 'crash' | 'unlocated' | 'wrong-code' | 'slow' | 'compile' | 'disagree';

export interface Problem {
  kind: FindingKind;
  message: string;
}

export type FrontEnd =
  | { result: 'rejected'; code: 'B3001' | 'B3002' | 'B3003'; message: string; offset: number; problem?: undefined }
  | { result: 'valid'; module: WasmModule; problem?: undefined }
  | { result: 'finding'; problem: Problem };

/** The name inputs get in error locations. */
export const INPUT_FILE = 'input.wasm';
const WASM_CODES = new Set(['B3001', 'B3002', 'B3003']);

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}\n${(error.stack ?? '').split('\n').slice(1, 8).join('\n')}`;
  return `non-error thrown: ${String(error)}`;
}

/** What is wrong with a rejection's diagnostics, or undefined when each names file, offset and context. */
export function locationProblem(error: BentoError, length: number): string | undefined {
  const list = error.diagnostics;
  for (let i = 0; i < list.length; i++) {
    const d = list[i]!;
    // The validator's last line may count the problems it did not list.
    if (i === list.length - 1 && i > 0 && /^and \d+ more validation problems$/.test(d.message)) continue;
    const at = d.location;
    if (at === undefined) return `diagnostic without a location: ${d.code} ${d.message}`;
    if (at.file !== INPUT_FILE) return `diagnostic names file ${at.file}: ${d.message}`;
    if (at.offset === undefined || !Number.isInteger(at.offset) || at.offset < 0 || at.offset > length) {
      return `diagnostic offset ${at.offset} outside 0..${length}: ${d.code} ${d.message}`;
    }
    if (at.context === undefined || at.context === '') return `diagnostic without a context (section or function): ${d.code} ${d.message}`;
  }
  return undefined;
}

/** Decode and validate one input in this process, timed. */
export function checkFrontEnd(bytes: Uint8Array, slowMs: number): { outcome: FrontEnd; ms: number } {
  const t0 = performance.now();
  const outcome = frontEnd(bytes);
  const ms = performance.now() - t0;
  if (outcome.result !== 'finding' && ms > slowMs) {
    return { outcome: { result: 'finding', problem: { kind: 'slow', message: `decode and validate took ${ms.toFixed(0)} ms (limit ${slowMs} ms)` } }, ms };
  }
  return { outcome, ms };
}

function frontEnd(bytes: Uint8Array): FrontEnd {
  let module: WasmModule;
  try {
    module = decodeModule(bytes, INPUT_FILE);
    validateModule(module);
  } catch (error) {
    if (!(error instanceof BentoError)) return { result: 'finding', problem: { kind: 'crash', message: describe(error) } };
    if (!WASM_CODES.has(error.code)) return { result: 'finding', problem: { kind: 'wrong-code', message: `${error.code}: ${error.message}` } };
    const unlocated = locationProblem(error, bytes.length);
    if (unlocated !== undefined) return { result: 'finding', problem: { kind: 'unlocated', message: unlocated } };
    return { result: 'rejected', code: error.code as 'B3001' | 'B3002' | 'B3003', message: error.message, offset: error.diagnostics[0]!.location!.offset! };
  }
  return { result: 'valid', module };
}

/** Every import resolved to a symbol of its kind, as a linker would. */
function fuzzImports(memoryReserve: number): (imp: Import) => ResolvedImport {
  return (imp) => {
    const id = `${imp.module}_${imp.name}`.replace(/[^A-Za-z0-9_]/g, '_');
    switch (imp.desc.kind) {
      case 'func':
        return { kind: 'host-func', symbol: `fuzz_import_${id}` };
      case 'global':
        return { kind: 'global', symbol: `fuzz_global_${id}` };
      case 'memory':
        return { kind: 'memory', memorySymbol: 'fuzz_memory', instanceSymbol: 'fuzz_instance', reserve: memoryReserve };
      case 'table':
        return { kind: 'table', symbol: `fuzz_table_${id}` };
    }
  };
}

export type CompileOutcome = { result: 'compiled' | 'refused' | 'skipped'; detail: string; problem?: undefined } | { result: 'finding'; problem: Problem };

export interface CompileCase {
  bytes: Uint8Array;
  board: Board;
  bounds: BoundsStrategy;
  /** A scratch folder of this run. */
  dir: string;
  /** Bytes of RAM the linear memory may take. */
  memoryLimit: number;
}

/**
 * Lowering, opt-14 and llc-14 for a module the validator accepted, through the same readWasm and
 * compileWasm every build uses. A memory larger than the limit is refused by readWasm (B3005)
 * and skipped; an opt or llc failure (B5002) or any exception that is not a BentoError is a finding.
 */
export async function checkCompile(input: CompileCase): Promise<CompileOutcome> {
  const file = join(input.dir, INPUT_FILE);
  writeFileSync(file, input.bytes);
  let wasm: WasmModule;
  try {
    wasm = readWasm(file, input.memoryLimit);
  } catch (error) {
    if (error instanceof BentoError && error.code === 'B3005') return { result: 'skipped', detail: error.message };
    return { result: 'finding', problem: { kind: 'crash', message: `readWasm on a module that validated: ${describe(error)}` } };
  }
  try {
    await compileWasm({
      wasm,
      board: input.board,
      object: join(input.dir, 'input.o'),
      bounds: input.bounds,
      prefix: 'fuzz',
      memoryLimit: input.memoryLimit,
      resolveImport: fuzzImports(input.memoryLimit),
    });
    return { result: 'compiled', detail: input.bounds };
  } catch (error) {
    if (error instanceof BentoError) {
      if (error.code === 'B5001') throw error;
      if (error.code === 'B5002' || error.code === 'B5004') return { result: 'finding', problem: { kind: 'compile', message: `${error.code} with bounds ${input.bounds}: ${error.message.slice(0, 4000)}` } };
      return { result: 'refused', detail: `${error.code}: ${error.message}` };
    }
    return { result: 'finding', problem: { kind: 'compile', message: `lowering with bounds ${input.bounds}: ${describe(error).slice(0, 4000)}` } };
  }
}

/**
 * wabt's verdict on a binary with every Wasm 2.0 feature and no SIMD. (Its
 * --ignore-custom-section-errors would also let a custom section's malformed name through, which
 * the spec calls malformed; so it is not used, and name-section contents are a known difference.)
 */
export function wabtAccepts(bytes: Uint8Array, dir: string): { accepted: boolean; message: string } {
  const file = join(dir, 'wabt.wasm');
  writeFileSync(file, bytes);
  try {
    execFileSync('wasm-validate', ['--disable-simd', file], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 });
    return { accepted: true, message: '' };
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString('utf8').trim() ?? String(error);
    return { accepted: false, message: stderr.split('\n')[0] ?? '' };
  }
}

/**
 * Where bento and wabt may rightly differ: bento caps the locals of a function and of a module (a
 * B3001 that wabt does not share) and refuses SIMD (B3003) whatever wabt's feature flags let
 * through; and wabt 1.0.32 lets through two things the spec calls malformed: a data count section
 * with no data section (an absent data section is an empty one), and a body that ends inside a
 * block.
 */
export function knownDisagreement(bento: FrontEnd, bytes: Uint8Array): boolean {
  if (bento.result !== 'rejected') return false;
  return (
    bento.code === 'B3003' ||
    /too many locals/.test(bento.message) ||
    /^data count and data section have inconsistent lengths \(\d+ and no data section\)$/.test(bento.message) ||
    (bento.message === 'unexpected end' && endsInsideBlock(bytes, bento.offset))
  );
}

/**
 * wabt 1.0.32 accepts a function body whose last byte is an `end` that closes an inner block,
 * leaving the function itself open (`block ... end` and no final `end`); the spec calls that
 * malformed, as bento does. True when bento's "unexpected end" is at the end of such a body.
 */
function endsInsideBlock(bytes: Uint8Array, offset: number): boolean {
  const sections = splitSections(bytes);
  const codeSection = sections?.find((s) => s.id === 10);
  const bodies = codeSection === undefined ? undefined : splitBodies(codeSection.content);
  if (codeSection === undefined || bodies === undefined) return false;
  return bodies.some((b) => b.byteOffset - bytes.byteOffset + b.length === offset && b[b.length - 1] === 0x0b);
}

/**
 * bento reads nothing of a custom section but its name (and ignores a malformed "name" section);
 * wabt checks the name section's contents. When wabt rejects a module bento accepts, and accepts
 * it once its custom sections are gone, the two agree on everything the spec asks.
 */
export function wabtRejectsOnlyCustomSections(bytes: Uint8Array, dir: string): boolean {
  const sections = splitSections(bytes);
  if (sections === undefined || !sections.some((s) => s.id === 0)) return false;
  return wabtAccepts(joinSections(sections.filter((s) => s.id !== 0)), dir).accepted;
}
