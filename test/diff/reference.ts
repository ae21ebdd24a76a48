// The reference side: the modules of one script run in Node's V8, in the order the firmware will
// run them, recording every result (as raw bits), trap, log hash and memory hash. The arguments
// are chosen here too, so both engines get the same bits.
import type { WastValue } from '../../src/spec/values.js';
import { decodeModule } from '../../src/wasm/decode.js';
import type { FuncType, ValType } from '../../src/wasm/types.js';
import { Random } from './random.js';

export type Outcome =
  | { kind: 'return'; values: WastValue[] }
  /** A result V8 gave as NaN: its bits cannot be read through JavaScript, so it is not checked. */
  | { kind: 'unchecked'; why: string }
  | { kind: 'trap'; text: string; v8: string };

export interface ReferenceCall {
  field: string;
  args: WastValue[];
  outcome: Outcome;
  /** The logger's hash of what the call logged. */
  log: bigint;
  /** The hash of the whole memory afterwards, when the module exports its memory. */
  memory?: bigint;
}

export type ReferenceModule =
  /** V8 does not accept the module (a fuzzer bug): left out. */
  | { kind: 'invalid'; id: string; why: string }
  /** Instantiation trapped; `log` is what it logged first. */
  | { kind: 'uninstantiable'; id: string; text: string; v8: string; log: bigint }
  | {
      kind: 'instance';
      id: string;
      /** What instantiation logged, and the memory just after it. */
      log: bigint;
      memory?: bigint;
      resetField?: string;
      calls: ReferenceCall[];
      /** Why the calls stop early (V8 ran out of stack: what follows is not comparable). */
      stopped?: string;
    };

/** The hang-limit reset binaryen's fuzz modules export; called before every other export. */
export const resetField = 'hangLimitInitializer';

/** V8's trap messages (Node 20) -> the spec's wording, as bento's judge matches it ("a|b": either). */
const v8Traps: readonly (readonly [RegExp, string])[] = [
  [/^unreachable/, 'unreachable'],
  [/^(divide|remainder) by zero/, 'integer divide by zero'],
  [/^divide result unrepresentable/, 'integer overflow'],
  // V8 does not tell NaN (invalid conversion) from out of range (overflow).
  [/^float unrepresentable in integer range/, 'integer overflow|invalid conversion to integer'],
  [/^memory access out of bounds|^data segment.*out of bounds|^out of bounds memory/, 'out of bounds memory access'],
  [/^table index is out of bounds|^table (access|initializer).*out of bounds|^element segment.*out of bounds/, 'out of bounds table access'],
  // V8 does not tell a null entry from a signature mismatch.
  [/^null function or function signature mismatch/, 'uninitialized element|indirect call type mismatch'],
  [/^null function/, 'uninitialized element'],
  [/^function signature mismatch/, 'indirect call type mismatch'],
];

function trapText(message: string): string {
  return v8Traps.find(([pattern]) => pattern.test(message))?.[1] ?? `unknown V8 trap: ${message}`;
}

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const f64Bits = new BigUint64Array(f64.buffer);

function floatBits(type: 'f32' | 'f64', value: number): bigint {
  if (type === 'f32') {
    f32[0] = value;
    return BigInt(f32Bits[0]!);
  }
  f64[0] = value;
  return f64Bits[0]!;
}

function fromBits(type: 'f32' | 'f64', bits: bigint): number {
  if (type === 'f32') {
    f32Bits[0] = Number(bits);
    return f32[0]!;
  }
  f64Bits[0] = bits;
  return f64[0]!;
}

const special32 = [0, 1, 0xffff_ffff, 0x7fff_ffff, 0x8000_0000, 0x8000_0001, 0xffff_fffe, 0x10, 0xffff, 0x1_0000 - 8];
const special64 = [0n, 1n, 0xffff_ffff_ffff_ffffn, 0x7fff_ffff_ffff_ffffn, 0x8000_0000_0000_0000n, 0xffff_ffffn, 0x1_0000_0000n, 0x10n];
const specialFloats = [0, -0, 1, -1, 0.5, -1.5, 2147483648, -2147483649, 4294967296, 9.3e18, 1e-40, 65536.25, Infinity, -Infinity];

/** An argument of `type`: its bits for the script and its JavaScript value for V8. */
function argument(type: ValType, random: Random): { wast: WastValue; js: unknown } {
  const value = (bits: bigint) => ({ type, value: bits.toString() });
  switch (type) {
    case 'i32': {
      const bits = random.below(3) === 0 ? random.next() : random.below(2) === 0 ? random.below(256) : random.pick(special32);
      return { wast: value(BigInt(bits >>> 0)), js: bits | 0 };
    }
    case 'i64': {
      const bits = random.below(3) === 0 ? random.bits64() : random.below(2) === 0 ? BigInt(random.below(256)) : random.pick(special64);
      return { wast: value(bits), js: BigInt.asIntN(64, bits) };
    }
    case 'f32':
    case 'f64': {
      let n: number;
      if (random.below(2) === 0) n = random.pick(specialFloats);
      else {
        // Random bits, but never a NaN: V8 may change a NaN's bits on the way in.
        do n = fromBits(type, type === 'f32' ? BigInt(random.next()) : random.bits64());
        while (Number.isNaN(n));
      }
      if (type === 'f32') n = Math.fround(n);
      return { wast: value(floatBits(type, n)), js: n };
    }
    default:
      throw new Error(`no ${type} arguments`);
  }
}

/** The bits of a result V8 returned, or undefined for a NaN. */
function resultBits(type: ValType, v: unknown): bigint | undefined {
  switch (type) {
    case 'i32':
      return BigInt((v as number) >>> 0);
    case 'i64':
      return BigInt.asUintN(64, v as bigint);
    case 'f32':
    case 'f64':
      return Number.isNaN(v) ? undefined : floatBits(type, v as number);
    default:
      throw new Error(`no ${type} results`);
  }
}

function outcomeOf(type: FuncType, returned: unknown): Outcome {
  const list = type.results.length === 1 ? [returned] : type.results.length === 0 ? [] : [...(returned as unknown[])];
  const values: WastValue[] = [];
  for (const [i, t] of type.results.entries()) {
    const bits = resultBits(t, list[i]);
    if (bits === undefined) return { kind: 'unchecked', why: `result ${i} is a NaN` };
    values.push({ type: t, value: bits.toString() });
  }
  return { kind: 'return', values };
}

/** Why a function cannot be called from the script, or undefined. */
function uncallable(type: FuncType): string | undefined {
  const odd = [...type.params, ...type.results].find((t) => !['i32', 'i64', 'f32', 'f64'].includes(t));
  return odd ? `it takes or returns ${odd}` : undefined;
}

type Engine = { kind: 'trap'; message: string } | { kind: 'exhausted' } | { kind: 'value'; value: unknown };

function attempt(run: () => unknown): Engine {
  try {
    return { kind: 'value', value: run() };
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) return { kind: 'trap', message: err.message };
    if (err instanceof RangeError && /call stack/i.test(err.message)) return { kind: 'exhausted' };
    throw err;
  }
}

export interface ReferenceInput {
  id: string;
  seed: number;
  bytes: Uint8Array;
}

/** The exported functions a script calls, with their types, in export order. */
export function callableExports(bytes: Uint8Array, file: string): { field: string; type: FuncType }[] {
  const wasm = decodeModule(bytes, file);
  const importedFuncs = wasm.imports.filter((i) => i.desc.kind === 'func').map((i) => (i.desc.kind === 'func' ? wasm.types[i.desc.typeIndex]! : undefined)!);
  const funcType = (index: number) => importedFuncs[index] ?? wasm.types[wasm.funcTypes[index - importedFuncs.length]!]!;
  return wasm.exports
    .filter((e) => e.kind === 'func' && e.name !== resetField)
    .map((e) => ({ field: e.name, type: funcType(e.index) }))
    .filter((e) => uncallable(e.type) === undefined);
}

/**
 * Runs one script's modules in V8: a logger shared by them all, each module instantiated against
 * it, then each export called once (after the hang-limit reset), with the log and memory hashes
 * after every call.
 */
export function runReference(modules: readonly ReferenceInput[], logger: Uint8Array, hasher: Uint8Array): ReferenceModule[] {
  const log = new WebAssembly.Instance(new WebAssembly.Module(logger)).exports as Record<string, () => bigint>;
  const hasherModule = new WebAssembly.Module(hasher);
  return modules.map((m): ReferenceModule => {
    let compiled: WebAssembly.Module;
    try {
      compiled = new WebAssembly.Module(m.bytes);
    } catch (err) {
      return { kind: 'invalid', id: m.id, why: (err as Error).message };
    }
    const made = attempt(() => new WebAssembly.Instance(compiled, { 'fuzzing-support': log }));
    if (made.kind === 'trap') return { kind: 'uninstantiable', id: m.id, text: trapText(made.message), v8: made.message, log: BigInt.asUintN(64, log.take!()) };
    if (made.kind === 'exhausted') {
      log.take!();
      return { kind: 'invalid', id: m.id, why: 'instantiation ran out of stack in V8' };
    }
    const exports = (made.value as WebAssembly.Instance).exports as Record<string, unknown>;
    const memory = exports.memory instanceof WebAssembly.Memory ? exports.memory : undefined;
    const hash = memory ? (new WebAssembly.Instance(hasherModule, { fuzz: { memory } }).exports.hash as () => bigint) : undefined;
    const memoryHash = () => (hash ? BigInt.asUintN(64, hash()) : undefined);
    const reset = typeof exports[resetField] === 'function' ? (exports[resetField] as () => void) : undefined;
    const result: ReferenceModule & { kind: 'instance' } = {
      kind: 'instance',
      id: m.id,
      log: BigInt.asUintN(64, log.take!()),
      memory: memoryHash(),
      resetField: reset ? resetField : undefined,
      calls: [],
    };
    const random = new Random(m.seed ^ 0x5eed_a11);
    for (const { field, type } of callableExports(m.bytes, `${m.id}.wasm`)) {
      const args = type.params.map((t) => argument(t, random));
      reset?.();
      const ran = attempt(() => (exports[field] as (...a: unknown[]) => unknown)(...args.map((a) => a.js)));
      if (ran.kind === 'exhausted') {
        log.take!();
        result.stopped = `V8 ran out of stack in ${field}: the calls after it are not comparable`;
        break;
      }
      const outcome: Outcome = ran.kind === 'trap' ? { kind: 'trap', text: trapText(ran.message), v8: ran.message } : outcomeOf(type, ran.value);
      result.calls.push({ field, args: args.map((a) => a.wast), outcome, log: BigInt.asUintN(64, log.take!()), memory: memoryHash() });
    }
    return result;
  });
}
