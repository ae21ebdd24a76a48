// One script -> one firmware image: compile each instance (in parallel, each after the instances
// it imports from), generate the driver for the runnable steps, render the step table, link
// with the spec runtime, the spectest module and the Wasm runtime, linear memories in PSRAM
// where the board has one (specLayout).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Board } from '../config/board.js';
import { region } from '../config/board.js';
import { buildImage } from '../build/image.js';
import { writeFileAtomic } from '../link/link.js';
import type { ResolvedImport } from '../lower/types.js';
import { runtimeDir } from '../paths.js';
import { runTool } from '../toolchain/exec.js';
import type { ExternKind } from '../wasm/types.js';
import { compileInstance, llcArgs } from './compile.js';
import type { CompiledInstance } from './compile.js';
import { driverSymbol, writeDriver } from './driver-ir.js';
import type { DriverCall, SizeCheck } from './driver-ir.js';
import type { JobPool, Mutex } from './jobs.js';
import { spectestExports } from './link.js';
import type { MemoryBudget, PlannedSizeCheck, ScriptPlan, Step } from './plan.js';
import { renderSteps } from './steps-glue.js';
import type { StepRow } from './steps-glue.js';

/** Fixed sizes of a spec image. */
export const specImage = {
  stackGuard: 1024,
  /** The firmware's watchdog stops a step that runs longer than this. */
  stepLimitMs: 5000,
} as const;

/** How a spec image uses a board's memory: specLayout's answer. */
export interface SpecLayout {
  /** Board region of the linear memories; undefined: RAM, beside the rest of the image. */
  memoryRegion?: string;
  /** Main stack, shared by the driver and the guest. */
  stack: number;
  /** Kept free below the guest's stack limit: a guest frame pushed before its check, and the trap path. */
  stackReserve: number;
  heap: number;
  /** Pages behind spectest's memory (declared 1 to 2 pages): 2, or 0 where they do not fit. */
  spectestPages: number;
  /** What the script's own memories (and, in RAM, its tables) may take. */
  memoryBudget: MemoryBudget;
}

const pageSize = 65536;
/**
 * RAM that a board without PSRAM keeps for the data and bss of the runtime, the driver and the
 * instances, but for their tables and memories (5 to 6 KiB measured on the stm32f405).
 */
const runtimeRam = 8 * 1024;

/**
 * A spec image's memory on a board. With a PSRAM: the linear memories there (but 3 pages: the
 * spectest memory's 2, and alignment), a 512 KiB main stack (half of RAM where that is less: the
 * m55's 512 KiB DTCM) with a 64 KiB reserve. Without one (the stm32f405's 128 KiB, the
 * lm3s6965's 64 KiB): everything in RAM, a quarter of it the stack with half of that the
 * reserve, no spectest memory, and what the runtime leaves for the script's tables and memories.
 */
export function specLayout(board: Board): SpecLayout {
  const ram = region(board, 'ram').size;
  const psram = board.memory.find((m) => m.name === 'psram');
  if (psram) {
    return {
      memoryRegion: psram.name,
      stack: Math.min(512 * 1024, ram / 2),
      stackReserve: 64 * 1024,
      heap: 16 * 1024,
      spectestPages: 2,
      memoryBudget: { kind: 'region', pages: Math.floor(psram.size / pageSize) - 3 },
    };
  }
  const stack = ram / 4;
  const heap = 4 * 1024;
  const left = ram - stack - specImage.stackGuard - heap - runtimeRam;
  return { stack, stackReserve: stack / 2, heap, spectestPages: 0, memoryBudget: { kind: 'ram', bytes: Math.max(0, left) } };
}

export interface BuildContext {
  board: Board;
  /** build/spec/<board>: images, and the objects every image shares. */
  outDir: string;
  /** Compiled instances and drivers, by content hash. */
  cacheDir: string;
  compiler: string;
  pool: JobPool;
  /** Serialises image links: they share the out folder's linker script and runtime objects. */
  linkLock: Mutex;
}

export interface BuiltScript {
  plan: ScriptPlan;
  /** Steps left out of the image, with the reason. */
  dropped: Map<number, string>;
  /** Steps in the image, in order. */
  runnable: Step[];
  elf: string;
  /** Links the image again without some steps (after one crashed the firmware). */
  relink(disabled: ReadonlySet<number>): Promise<string>;
}

function cFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.c')).sort().map((f) => join(dir, f));
}

/** The ResolvedImport of an import of `kind`, from the instance or host that provides it. */
function resolveFrom(kind: ExternKind, provider: { kind: 'spectest' } | { kind: 'instance'; compiled: CompiledInstance }, name: string): ResolvedImport {
  if (provider.kind === 'spectest') return spectestExports.get(name)!.resolved;
  const lowered = provider.compiled.lowered;
  const exported = lowered.exports.find((e) => e.name === name && e.kind === kind);
  if (!exported) throw new Error(`harness bug: the lowered provider has no ${kind} export "${name}"`);
  switch (kind) {
    case 'func':
      return { kind: 'wasm-func', symbol: exported.symbol };
    case 'global':
      return { kind: 'global', symbol: exported.symbol };
    case 'table':
      return { kind: 'table', symbol: exported.symbol };
    case 'memory':
      return { kind: 'memory', memorySymbol: exported.symbol, instanceSymbol: lowered.instanceSymbol, reserve: lowered.memoryReserve };
  }
}

function message(err: unknown): string {
  const text = (err as Error)?.message ?? String(err);
  return text.length > 600 ? `${text.slice(0, 600)}...` : text;
}

/** Compiles every instance, each once the instances it imports from are compiled. */
function compileAll(plan: ScriptPlan, ctx: BuildContext): Promise<CompiledInstance>[] {
  const jobs: Promise<CompiledInstance>[] = [];
  for (const inst of plan.instances) {
    jobs.push(
      (async () => {
        if (inst.unbuildable) throw new Error(inst.unbuildable);
        const imports: ResolvedImport[] = [];
        for (const [i, imp] of inst.wasm.imports.entries()) {
          const { provider, name } = inst.imports[i]!;
          if (provider.kind === 'spectest') {
            imports.push(resolveFrom(imp.desc.kind, provider, name));
            continue;
          }
          let compiled: CompiledInstance;
          try {
            compiled = await jobs[provider.instance]!;
          } catch {
            throw new Error(`it imports from the module at line ${plan.instances[provider.instance]!.line}, which did not compile`);
          }
          imports.push(resolveFrom(imp.desc.kind, { kind: 'instance', compiled }, name));
        }
        return ctx.pool.run(() => compileInstance({ instance: inst, board: ctx.board, imports, cacheDir: ctx.cacheDir, compiler: ctx.compiler }));
      })(),
    );
  }
  return jobs;
}

function hashCalls(calls: readonly DriverCall[], ctx: BuildContext): string {
  const text = JSON.stringify({ compiler: ctx.compiler, board: llcArgs(ctx.board, '', ''), calls }, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** The driver's object for these calls, from the cache or freshly compiled. */
async function compileDriver(name: string, calls: readonly DriverCall[], ctx: BuildContext): Promise<string> {
  const object = join(ctx.cacheDir, `driver-${hashCalls(calls, ctx)}.o`);
  if (existsSync(object)) return object;
  // compileInstance makes the cache folder, but a first script may have no module to compile.
  mkdirSync(ctx.cacheDir, { recursive: true });
  return ctx.pool.run(async () => {
    const bitcode = `${object}.bc`;
    const tmp = `${object}.tmp`;
    try {
      writeDriver(calls, `${name}_driver`, ctx.board.llvm.triple, bitcode);
      await runTool('llc', llcArgs(ctx.board, bitcode, tmp), { doing: `generating the spec driver of ${name}`, failCode: 'B5002' });
      renameSync(tmp, object);
      return object;
    } finally {
      for (const f of [bitcode, tmp]) rmSync(f, { force: true });
    }
  });
}

/** The driver call of an invoke or get step, given its compiled instance. */
function driverCall(step: Step & { kind: 'invoke' | 'get' }, compiled: CompiledInstance): DriverCall {
  const kind = step.kind === 'invoke' ? 'func' : 'global';
  const exported = compiled.lowered.exports.find((e) => e.name === step.field && e.kind === kind);
  if (!exported) throw new Error(`harness bug: the lowered module has no ${kind} export "${step.field}"`);
  if (step.kind === 'invoke') return { kind: 'invoke', command: step.command, symbol: exported.symbol, type: step.type, args: step.args, expect: step.expect };
  return { kind: 'get', command: step.command, symbol: exported.symbol, type: step.type.type, expect: step.expect };
}

/** A size check with its provider's symbols, or why the provider is unavailable. */
function sizeCheck(c: PlannedSizeCheck, plan: ScriptPlan, status: readonly (CompiledInstance | string)[]): SizeCheck | string {
  let resolved: ResolvedImport;
  if (c.provider.kind === 'spectest') resolved = resolveFrom(c.kind, c.provider, c.name);
  else {
    const provider = status[c.provider.instance]!;
    if (typeof provider === 'string') return `the module at line ${plan.instances[c.provider.instance]!.line} did not build`;
    resolved = resolveFrom(c.kind, { kind: 'instance', compiled: provider }, c.name);
  }
  if (resolved.kind === 'memory') return { kind: 'memory', symbol: resolved.instanceSymbol, min: c.min };
  if (resolved.kind === 'table') return { kind: 'table', symbol: resolved.symbol, min: c.min };
  throw new Error(`harness bug: a size check of a ${resolved.kind}`);
}

/** Instances whose objects the linker named in its errors. */
function culpritsOf(err: unknown, objects: ReadonlyMap<string, number>): number[] {
  const text = (err as Error)?.message ?? '';
  return [...objects].filter(([object]) => text.includes(object)).map(([, index]) => index);
}

function firstUndefined(err: unknown): string {
  const line = ((err as Error)?.message ?? '').split('\n').find((l) => l.includes('undefined reference') || l.includes('multiple definition'));
  return line ? line.replace(/^.*?: /, '').trim() : 'the linker rejected its object';
}

/** The most link attempts, each after taking out the instances whose objects broke the last. */
const maxLinkAttempts = 6;

export async function buildScript(plan: ScriptPlan, ctx: BuildContext): Promise<BuiltScript> {
  const name = plan.script.name;
  const settled = await Promise.allSettled(compileAll(plan, ctx));
  /** Each instance's object, or why it is unavailable. */
  const status: (CompiledInstance | string)[] = settled.map((s) => (s.status === 'fulfilled' ? s.value : `compile failed: ${message(s.reason)}`));

  const stepsDir = join(ctx.outDir, 'scripts', name);
  mkdirSync(stepsDir, { recursive: true });
  const specDir = join(runtimeDir, 'spec');
  const layout = specLayout(ctx.board);
  const flags = [
    '-O2',
    '-g',
    '-Wall',
    '-I',
    specDir,
    `-DBENTO_SPEC_STACK_RESERVE=${layout.stackReserve}u`,
    `-DBENTO_SPEC_SPECTEST_PAGES=${layout.spectestPages}u`,
    `-DBENTO_SPEC_STEP_LIMIT_MS=${specImage.stepLimitMs}u`,
    `-DBENTO_SPEC_CPU_HZ=${ctx.board.cpu.clockHz}u`,
  ];
  const shared = [...cFiles(specDir), ...cFiles(join(runtimeDir, 'wasm')), ...cFiles(join(runtimeDir, 'string'))].map((path) => ({
    path,
    object: join(ctx.outDir, 'obj', path.split('/runtime-c/')[1]!.replace(/\.c$/, '.o')),
    flags,
  }));

  for (let attempt = 1; ; attempt++) {
    const dropped = new Map<number, string>();
    const runnable: Step[] = [];
    const calls: DriverCall[] = [];
    for (const step of plan.steps) {
      const checks = step.kind === 'instantiate' || step.kind === 'link-check' ? step.checks.map((c) => sizeCheck(c, plan, status)) : [];
      const missing = checks.find((c): c is string => typeof c === 'string');
      if (step.kind === 'link-check') {
        if (missing) dropped.set(step.command, `cannot check the sizes: ${missing}`);
        else {
          calls.push({ kind: 'link-check', command: step.command, checks: checks as SizeCheck[] });
          runnable.push(step);
        }
        continue;
      }
      const inst = plan.instances[step.instance]!;
      const done = status[inst.index]!;
      if (typeof done === 'string') {
        dropped.set(step.command, step.kind === 'instantiate' ? done : `the module at line ${inst.line} did not build`);
        continue;
      }
      if (missing) {
        dropped.set(step.command, `cannot check the sizes: ${missing}`);
        continue;
      }
      if (step.kind !== 'instantiate') calls.push(driverCall(step, done));
      else if (checks.length > 0) calls.push({ kind: 'instantiate', command: step.command, init: done.lowered.initSymbol, checks: checks as SizeCheck[] });
      runnable.push(step);
    }
    const driver = await compileDriver(name, calls, ctx);
    const objects = new Map(status.flatMap((s, i) => (typeof s === 'string' ? [] : [[s.object, i] as const])));

    const link = (disabled: ReadonlySet<number>) =>
      ctx.linkLock.run(() =>
        ctx.pool.run(async () => {
          const stepsC = join(stepsDir, 'steps.c');
          const rows: StepRow[] = runnable
            .filter((s) => !disabled.has(s.command))
            .map((s) => {
              // An instantiation without size checks is the instance's init itself, reported by the C driver.
              const direct = s.kind === 'instantiate' && s.checks.length === 0;
              return {
                command: s.command,
                kind: direct ? 'instantiate' : 'invoke',
                run: direct ? (status[s.instance] as CompiledInstance).lowered.initSymbol : driverSymbol(s.command),
              };
            });
          writeFileAtomic(stepsC, renderSteps(plan.script.wast, rows));
          const result = await buildImage({
            board: ctx.board,
            name,
            outDir: ctx.outDir,
            sources: [{ path: stepsC, object: join(stepsDir, 'steps.o'), flags }, ...shared],
            objects: [...objects.keys(), driver],
            stack: layout.stack,
            stackGuard: specImage.stackGuard,
            heap: layout.heap,
            linearMemoryRegion: layout.memoryRegion,
            inputs: [ctx.board.file],
          });
          return result.image.elf;
        }),
      );

    try {
      const elf = await link(new Set());
      return { plan, dropped, runnable, elf, relink: link };
    } catch (err) {
      // An object that does not link (an undefined symbol, say) takes out its instance, and
      // the instances that import from it, not the whole script.
      const culprits = culpritsOf(err, objects);
      if (culprits.length === 0 || attempt >= maxLinkAttempts) throw err;
      for (const i of culprits) status[i] = `link failed: ${firstUndefined(err)}`;
      for (const inst of plan.instances) {
        const from = inst.imports.find((imp) => imp.provider.kind === 'instance' && typeof status[imp.provider.instance] === 'string');
        if (from && typeof status[inst.index] !== 'string' && from.provider.kind === 'instance') {
          status[inst.index] = `it imports from the module at line ${plan.instances[from.provider.instance]!.line}, which did not link`;
        }
      }
    }
  }
}
