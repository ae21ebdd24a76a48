// A script's commands -> what to build and run. Everything the host can decide (decoding,
// validation, linking) is decided here; what needs the board (instantiation, invocations)
// becomes a step of the firmware, in command order.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BentoError } from '../diagnostics/error.js';
import { tableEntries } from '../lower/types.js';
import { decodeModule } from '../wasm/decode.js';
import { memoryBytes } from '../wasm/types.js';
import type { FuncType, GlobalType, Limits, MemType, WasmModule } from '../wasm/types.js';
import { validateModule } from '../wasm/validate/validate.js';
import { specTableReserve } from './compile.js';
import { exportTypes, formatFuncType, linkImports, spectestExports } from './link.js';
import type { ExportSource, ExternType } from './link.js';
import { allocateMemories } from './memory-budget.js';
import type { WastAction, WastCommand, WastScript } from './script.js';
import { argumentBits, expectedPattern, formatExpected, isValType } from './values.js';
import type { Pattern, WastValue } from './values.js';

const pageSize = 65536;

/** Where an import comes from: the spectest host module, or an instance of this script. */
export type Provider = { kind: 'spectest' } | { kind: 'instance'; instance: number };

export interface PlannedInstance {
  index: number;
  /** The command that creates it. */
  command: number;
  line: number;
  /** Symbol prefix, unique in the image. */
  prefix: string;
  wasmFile: string;
  /** sha256 of the .wasm file. */
  hash: string;
  wasm: WasmModule;
  /** For each import, in order: who provides it and under which export name. */
  imports: readonly { provider: Provider; name: string }[];
  /** Imports to check against their provider's current size before instantiating. */
  sizeChecks: readonly PlannedSizeCheck[];
  exports: ReadonlyMap<string, ExternType>;
  /** Bytes reserved for its own linear memory (0 without one). */
  memoryReserve: number;
  /** Set when it cannot be built at all (its memory does not fit). */
  unbuildable?: string;
}

/** What an invocation must do. */
export type Expectation =
  | { kind: 'return'; patterns: readonly Pattern[]; values: readonly WastValue[] }
  | { kind: 'trap'; text: string }
  | { kind: 'exhaustion'; text: string }
  /** A bare action: anything but a trap. */
  | { kind: 'action' };

/** A table or memory import whose provider must have grown to `min` when the module is linked. */
export interface PlannedSizeCheck {
  provider: Provider;
  name: string;
  kind: 'table' | 'memory';
  min: number;
}

export type Step =
  /** Checks the sizes, then runs the instance's init. */
  | { kind: 'instantiate'; command: number; instance: number; expect: 'success' | { trap: string }; checks: readonly PlannedSizeCheck[] }
  /** assert_unlinkable decided by the current sizes: some check must fail. */
  | { kind: 'link-check'; command: number; checks: readonly PlannedSizeCheck[] }
  | { kind: 'invoke'; command: number; instance: number; field: string; type: FuncType; args: readonly bigint[]; expect: Expectation }
  | { kind: 'get'; command: number; instance: number; field: string; type: GlobalType; expect: Expectation };

export type Status = 'passed' | 'failed' | 'skipped';

/** A command the host decided without running anything. */
export interface Verdict {
  command: number;
  status: Status;
  detail?: string;
}

export interface CommandInfo {
  index: number;
  line: number;
  type: WastCommand['type'];
  /** For messages: `assert_return invoke "add" (i32 1 (0x00000001), ...)`. */
  text: string;
}

export interface ScriptPlan {
  script: WastScript;
  /** Every counted command (all but register), in order. */
  commands: readonly CommandInfo[];
  instances: readonly PlannedInstance[];
  steps: readonly Step[];
  verdicts: readonly Verdict[];
}

/**
 * What the script's own linear memories may take: pages of a region of their own (a board's
 * PSRAM), or bytes of RAM that they share with the script's tables (a board without PSRAM), the
 * tables served first.
 */
export type MemoryBudget = { kind: 'region'; pages: number } | { kind: 'ram'; bytes: number };

export interface PlanOptions {
  memoryBudget: MemoryBudget;
  /** Whether the image has spectest's memory (not on boards without room for its 2 pages). */
  spectestMemory: boolean;
}

const noSpectestMemory = "spectest's memory (2 pages), which does not fit beside the runtime on this board";

type Loaded = { ok: true; wasm: WasmModule; hash: string } | { ok: false; code?: string; message: string };

function loadModule(file: string): Loaded {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    return { ok: false, message: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code}` };
  }
  let wasm: WasmModule;
  try {
    wasm = decodeModule(bytes, file);
  } catch (err) {
    return failure(err);
  }
  try {
    validateModule(wasm);
  } catch (err) {
    return failure(err);
  }
  return { ok: true, wasm, hash: createHash('sha256').update(bytes).digest('hex') };
}

function failure(err: unknown): Loaded {
  if (err instanceof BentoError) return { ok: false, code: err.code, message: `${err.code}: ${err.message}` };
  return { ok: false, message: `internal error: ${(err as Error)?.message ?? err}` };
}

function describeAction(a: WastAction): string {
  const target = a.module ? `${a.module} ` : '';
  if (a.type === 'get') return `get ${target}"${a.field}"`;
  return `invoke ${target}"${a.field}" (${(a.args ?? []).map(formatExpected).join(', ')})`;
}

function describe(c: WastCommand): string {
  switch (c.type) {
    case 'module':
      return `module${c.name ? ` ${c.name}` : ''} (${c.filename})`;
    case 'register':
      return `register "${c.as}"`;
    case 'action':
      return `action ${describeAction(c.action)}`;
    case 'assert_return':
      return `assert_return ${describeAction(c.action)}`;
    case 'assert_trap':
      return c.action ? `assert_trap ${describeAction(c.action)}` : `assert_trap module (${c.filename})`;
    case 'assert_exhaustion':
      return `assert_exhaustion ${describeAction(c.action)}`;
    default:
      return `${c.type} (${c.filename})`;
  }
}

/** Where `module` commands left things: instances by name, the latest one, and the registry. */
class Scope {
  /** "$M" -> instance, or why that module is unavailable. */
  readonly named = new Map<string, number | string>();
  current: number | string | undefined;
  readonly registry = new Map<string, ExportSource<Provider>>([
    ['spectest', { ref: { kind: 'spectest' }, types: new Map([...spectestExports].map(([n, e]) => [n, e.type])) }],
  ]);
  /** Registered names whose module is unavailable, with the reason. */
  readonly brokenNames = new Map<string, string>();

  target(name: string | undefined): number | string | undefined {
    return name === undefined ? this.current : this.named.get(name);
  }
}

/** Decides every command the host can and lays out the firmware's steps. */
export function planScript(script: WastScript, options: PlanOptions): ScriptPlan {
  const scope = new Scope();
  const commands: CommandInfo[] = [];
  const instances: PlannedInstance[] = [];
  const steps: Step[] = [];
  const verdicts: Verdict[] = [];
  const verdict = (command: number, status: Status, detail?: string): void => {
    verdicts.push({ command, status, detail });
  };

  /** Loads and links a module that is to be instantiated; an instance index, or the reason it cannot be. */
  const instantiable = (index: number, c: WastCommand & { filename: string }): number | string => {
    const loaded = loadModule(join(script.dir, c.filename));
    if (!loaded.ok) return `module does not load: ${loaded.message}`;
    const broken = loaded.wasm.imports.find((i) => scope.brokenNames.has(i.module));
    if (broken) return `it imports from "${broken.module}", which is unavailable (${scope.brokenNames.get(broken.module)})`;
    const linked = linkImports(loaded.wasm, scope.registry);
    if (!linked.ok) return `module does not link: ${linked.message}`;
    if (!options.spectestMemory && linked.providers.some((p, i) => p.ref.kind === 'spectest' && loaded.wasm.imports[i]!.desc.kind === 'memory')) return `it imports ${noSpectestMemory}`;
    const instance: PlannedInstance = {
      index: instances.length,
      command: index,
      line: c.line,
      prefix: `s${index}`,
      wasmFile: join(script.dir, c.filename),
      hash: loaded.hash,
      wasm: loaded.wasm,
      imports: linked.providers.map((p) => ({ provider: p.ref, name: p.name })),
      sizeChecks: linked.sizeChecks.map((c) => ({ provider: linked.providers[c.import]!.ref, name: linked.providers[c.import]!.name, kind: c.kind, min: c.min })),
      exports: exportTypes(loaded.wasm),
      memoryReserve: 0,
    };
    instances.push(instance);
    return instance.index;
  };

  script.commands.forEach((c, index) => {
    if (c.type !== 'register') commands.push({ index, line: c.line, type: c.type, text: describe(c) });
    switch (c.type) {
      case 'module': {
        const made = instantiable(index, c);
        if (typeof made === 'number') steps.push({ kind: 'instantiate', command: index, instance: made, expect: 'success', checks: instances[made]!.sizeChecks });
        else verdict(index, 'failed', made);
        scope.current = typeof made === 'number' ? made : `the module at line ${c.line} is unavailable: ${made}`;
        if (c.name) scope.named.set(c.name, scope.current);
        return;
      }
      case 'register': {
        const target = scope.target(c.name);
        if (typeof target === 'number') {
          scope.registry.set(c.as, { ref: { kind: 'instance', instance: target }, types: instances[target]!.exports });
          scope.brokenNames.delete(c.as);
        } else {
          scope.registry.delete(c.as);
          scope.brokenNames.set(c.as, target ?? `no module ${c.name ?? ''} to register`);
        }
        return;
      }
      case 'action':
      case 'assert_return':
      case 'assert_exhaustion':
        return planAction(index, c.action, expectationOf(c));
      case 'assert_trap':
        if (c.action) return planAction(index, c.action, { kind: 'trap', text: c.text });
        return planUninstantiable(index, { ...c, filename: c.filename! });
      case 'assert_uninstantiable':
        return planUninstantiable(index, c);
      case 'assert_unlinkable': {
        const loaded = loadModule(join(script.dir, c.filename));
        if (!loaded.ok) return verdict(index, 'failed', `module does not load: ${loaded.message}`);
        const broken = loaded.wasm.imports.find((i) => scope.brokenNames.has(i.module));
        if (broken) return verdict(index, 'failed', `cannot decide: it imports from "${broken.module}", which is unavailable`);
        const linked = linkImports(loaded.wasm, scope.registry);
        if (linked.ok && linked.sizeChecks.length > 0 && c.text.startsWith('incompatible import type')) {
          if (!options.spectestMemory && linked.sizeChecks.some((k) => k.kind === 'memory' && linked.providers[k.import]!.ref.kind === 'spectest')) {
            return verdict(index, 'failed', `cannot decide: it checks ${noSpectestMemory}`);
          }
          const checks = linked.sizeChecks.map((k) => ({ provider: linked.providers[k.import]!.ref, name: linked.providers[k.import]!.name, kind: k.kind, min: k.min }));
          steps.push({ kind: 'link-check', command: index, checks });
          return;
        }
        if (linked.ok) return verdict(index, 'failed', `expected unlinkable ("${c.text}"), but every import links`);
        if (!c.text.startsWith(linked.reason)) return verdict(index, 'failed', `expected "${c.text}", got ${linked.message}`);
        return verdict(index, 'passed');
      }
      case 'assert_invalid':
      case 'assert_malformed':
        return verdict(index, ...checkRejected(script, c));
    }
  });

  function expectationOf(c: WastCommand & { type: 'action' | 'assert_return' | 'assert_exhaustion' }): Expectation | string {
    if (c.type === 'action') return { kind: 'action' };
    if (c.type === 'assert_exhaustion') return { kind: 'exhaustion', text: c.text };
    try {
      return { kind: 'return', patterns: c.expected.map(expectedPattern), values: c.expected };
    } catch (err) {
      return (err as Error).message;
    }
  }

  function planAction(index: number, action: WastAction, expect: Expectation | string): void {
    if (typeof expect === 'string') return verdict(index, unsupportedValue(expect) ? 'skipped' : 'failed', expect);
    const target = scope.target(action.module);
    if (typeof target !== 'number') return verdict(index, 'failed', target ?? `no module ${action.module ?? ''} to run it on`);
    const exported = instances[target]!.exports.get(action.field);
    if (!exported) return verdict(index, 'failed', `the module has no export "${action.field}"`);
    if (action.type === 'get') {
      if (exported.kind !== 'global') return verdict(index, 'failed', `export "${action.field}" is a ${exported.kind}, not a global`);
      if (expect.kind === 'return' && expect.values.length !== 1) return verdict(index, 'failed', `a global has one value, the script expects ${expect.values.length}`);
      steps.push({ kind: 'get', command: index, instance: target, field: action.field, type: exported.type, expect });
      return;
    }
    if (exported.kind !== 'func') return verdict(index, 'failed', `export "${action.field}" is a ${exported.kind}, not a function`);
    const type = exported.type;
    const given = action.args ?? [];
    if (given.length !== type.params.length || given.some((a, i) => a.type !== type.params[i])) {
      return verdict(index, 'failed', `arguments (${given.map((a) => a.type).join(' ')}) do not fit ${formatFuncType(type)}`);
    }
    let args: bigint[];
    try {
      args = given.map(argumentBits);
    } catch (err) {
      const message = (err as Error).message;
      return verdict(index, unsupportedValue(message) ? 'skipped' : 'failed', message);
    }
    if (expect.kind === 'return' && expect.values.length !== type.results.length) {
      return verdict(index, 'failed', `${formatFuncType(type)} returns ${type.results.length} values, the script expects ${expect.values.length}`);
    }
    if (expect.kind === 'return' && expect.values.some((v, i) => isValType(v.type) && v.type !== type.results[i])) {
      return verdict(index, 'failed', `expected (${expect.values.map((v) => v.type).join(' ')}) does not fit ${formatFuncType(type)}`);
    }
    steps.push({ kind: 'invoke', command: index, instance: target, field: action.field, type, args, expect });
  }

  function planUninstantiable(index: number, c: WastCommand & { filename: string; text: string }): void {
    const made = instantiable(index, c);
    if (typeof made === 'number') steps.push({ kind: 'instantiate', command: index, instance: made, expect: { trap: c.text }, checks: instances[made]!.sizeChecks });
    else verdict(index, 'failed', made);
  }

  allocate(instances, options.memoryBudget);
  return { script, commands, instances, steps, verdicts };
}

/** SIMD values are outside what the harness runs: those commands are skipped, not failed. */
function unsupportedValue(message: string): boolean {
  return /v128|lanes/.test(message);
}

/** Entries a table of the script may start with: its entries live in RAM, beside the runtime's. */
const maxTableEntries = 65536;
/** A table entry (a funcref or externref) is one pointer on the 32-bit targets. */
const tableEntryBytes = 4;

function kib(bytes: number): string {
  return `${Math.floor(bytes / 1024)} KiB`;
}

/** Gives each instance with a memory of its own its reservation, within the budget. */
function inPages(memory: MemType): Limits {
  const pages = (n: number) => Math.ceil(memoryBytes(memory, n) / pageSize);
  return { min: pages(memory.limits.min), max: memory.limits.max === undefined ? undefined : pages(memory.limits.max) };
}

function allocate(instances: PlannedInstance[], budget: MemoryBudget): void {
  let ram = budget.kind === 'ram' ? budget.bytes : 0;
  for (const inst of instances) {
    const big = inst.wasm.tables.find((t) => t.limits.min > maxTableEntries);
    if (big) inst.unbuildable = `its table of ${big.limits.min} entries does not fit in RAM (at most ${maxTableEntries} here)`;
    else if (budget.kind === 'ram') {
      const bytes = inst.wasm.tables.reduce((sum, t) => sum + tableEntries(t.limits, specTableReserve) * tableEntryBytes, 0);
      if (bytes > ram) inst.unbuildable = `its tables (${kib(bytes)}) do not fit in the ${kib(ram)} of RAM left for the script's tables and memories`;
      else ram -= bytes;
    }
  }
  const budgetPages = budget.kind === 'region' ? budget.pages : Math.floor(ram / pageSize);
  const owners = instances.filter((i) => i.wasm.memories.length > 0 && !i.unbuildable);
  // In 64 KiB pages, whatever page size a memory declares: a reserve of whole pages holds it.
  const pages = allocateMemories(
    owners.map((i) => inPages(i.wasm.memories[0]!)),
    budgetPages,
  );
  owners.forEach((inst, k) => {
    const p = pages[k];
    if (p === undefined) inst.unbuildable = `its memory of ${inst.wasm.memories[0]!.limits.min} pages does not fit in the ${budgetPages} pages left for the script's memories`;
    else inst.memoryReserve = p * pageSize;
  });
}

/** assert_invalid and assert_malformed: the decoder must say B3001, the validator B3002. */
function checkRejected(script: WastScript, c: WastCommand & { type: 'assert_invalid' | 'assert_malformed' }): [Status, string?] {
  if (c.module_type === 'text') return ['skipped', 'text-format module'];
  const want = c.type === 'assert_malformed' ? 'B3001' : 'B3002';
  const loaded = loadModule(join(script.dir, c.filename));
  if (loaded.ok) return ['failed', `expected ${want} ("${c.text}"), but the module decodes and validates`];
  if (loaded.code === want) return ['passed'];
  return ['failed', `expected ${want} ("${c.text}"), got ${loaded.message}`];
}
