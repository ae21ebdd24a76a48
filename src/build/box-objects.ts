import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { Board } from '../config/board.js';
import type { RecipeBox } from '../config/recipe.js';
import { checkMemoryFits, compileWasm, loadWasm } from '../compile/wasm.js';
import { boxWasmModule } from '../compile/box-wasm.js';
import type { BoxModule } from '../compile/box-wasm.js';
import { compileC, isFresh, stampOf } from '../compile/native-c.js';
import type { CompileCommand } from '../compile/native-c.js';
import { region } from '../config/board.js';
import { BentoError, fail } from '../diagnostics/error.js';
import type { Diagnostic } from '../diagnostics/error.js';
import { boxPrefix, nativeExportSymbol, nativeImportSymbol, wasiGateSymbol, wasmImportSymbol } from '../glue/box-glue.js';
import type { WasmBoxFacts } from '../glue/box-glue.js';
import { blockBytes, wasmResultTypes, wasmValType, wordCount } from '../glue/abi.js';
import { REGISTER_WORDS } from '../config/signature.js';
import { dataPadding, measureObjects } from '../link/measure.js';
import type { ObjectSizes } from '../link/measure.js';
import { formatFuncType, wasiFunctions, wasiModule } from '../link/wasi.js';
import { mpuRegionSize, powerOfTwoRegion } from '../plan/mpu-regions.js';
import { regionRule } from '../plan/plan.js';
import type { ResolvedImport } from '../lower/types.js';
import { exportSymbolName } from '../lower/module.js';
import { bentoRoot } from '../paths.js';
import { runTool } from '../toolchain/exec.js';
import { checkNativeBox } from './native-box-check.js';
import { buildLibcArchives, libcInputs, libcRenames } from './box-libc.js';
import { boxHeader, wasmBoxUndefined } from './undefined-symbols.js';
import type { RecipeExport } from './undefined-symbols.js';
import { readCallGraph } from '../compile/call-graph.js';
import { measureNativeStack } from '../compile/native-stack.js';
import { boxEntry, needsStackCheck } from '../plan/entry.js';
import type { NativeStack } from '../compile/native-stack.js';
import { entryGlueBytes, exceptionFrameBytes, helperStack } from '../compile/helper-stacks.js';
import { memoryBytes } from '../wasm/types.js';
import type { FuncType, Import, WasmModule } from '../wasm/types.js';
import type { Signature } from '../config/signature.js';
import type { Link } from '../plan/links.js';
import { callGroups, importStubBytes } from '../glue/box-glue.js';

/** A box compiled to objects, with what the planner and the glue need to know of it. */
export interface BoxObjects {
  box: RecipeBox;
  prefix: string;
  /** Objects holding the box's code (its glue is compiled with the image). */
  objects: readonly string[];
  sizes: ObjectSizes;
  /** Bytes its RAM region must hold: stack, data, bss, heap. */
  ramNeeds: number;
  /** The stack at the bottom of its RAM region: a native box's `stack`; a Wasm box's native stack (nativeStackOf). */
  stack: BoxStack;
  wasm?: WasmBoxFacts;
  /** Whether anything was rebuilt. */
  rebuilt: boolean;
  /** Seconds the Wasm compiler took for the box's module (lower, opt, llc), kept from its last compile. */
  compileSeconds?: number;
  /** How each of its C files is compiled, for compile_commands.json. */
  compiled: readonly CompileCommand[];
}

export interface BoxBuildContext {
  board: Board;
  /** build/<board>/ */
  outDir: string;
  /** Folder of the generated headers. */
  headerDir: string;
  recipeDir: string;
  onStep: (message: string) => void;
  /** `bento build --werror`: warnings are errors in every box (a box's own `werror` says so for it alone). */
  werror: boolean;
  /** Every export of the recipe, for the hints of a box that uses a function it did not import. */
  exported: ReadonlyMap<string, RecipeExport>;
  /** The links of the recipe: what each box imports, as its C sees it. */
  links: readonly Link[];
  /** Box definitions with instances compiled so far in this build, by definition name. */
  definitions: Map<string, Promise<CompiledDefinition>>;
}

/** A Wasm box definition compiled once for all its instances, under the definition's own prefix. */
interface CompiledDefinition {
  object: string;
  rebuilt: boolean;
  wasm: WasmModule;
  memorySize: number;
  stackPointer?: number;
  wasi: { name: string; type: FuncType }[];
  compiled: readonly CompileCommand[];
}

/** A box's native stack, and where its size comes from. */
export interface BoxStack {
  bytes: number;
  /** measured: from the compiled code's frames and calls; recipe: the recipe's `stack` or `native-stack`. */
  source: 'measured' | 'recipe';
  /** The deepest chain of calls (measured), or why there is no static bound (recipe). */
  why: string;
  /**
   * A box entered straight whose code checks its stack (src/plan/entry.ts): bytes above the
   * stack's bottom where the check traps. 0 when the stack is measured anyway; for a stack of no
   * static bound, room for the deepest frame, an exception frame and the helpers and glue that
   * run unchecked below a checked frame, added to the stack.
   */
  limit?: number;
  /** Whether its stack has a static bound (measured), for boxEntry. */
  bounded?: boolean;
}

/** Where a box's objects go; the linker script gathers the box's data and bss by this path. */
export const boxObjectDir = (outDir: string, box: string) => join(outDir, 'obj', 'box', box);
/** Where a box definition with instances is compiled, once for all of them. */
const definitionDir = (outDir: string, definition: string) => join(outDir, 'obj', 'definition', definition);
/** The folder that holds a box definition's bento_box.h, first on its include path. */
export const boxHeaderDir = (headerDir: string, definition: string) => join(headerDir, 'box', definition);

const wasiModules = new Set([wasiModule, 'wasi_unstable']);
const sameType = (a: FuncType, b: FuncType) => formatFuncType(a) === formatFuncType(b);
const expectedType = (sig: Signature, selector = false): FuncType => ({ params: [...(selector ? ['i32' as const] : []), ...sig.params.map((p) => wasmValType(p.type))], results: wasmResultTypes(sig.result) });

/** Checks a module against its box's recipe and says where each import comes from. */
function wasmImports(box: RecipeBox, party: string, wasm: WasmModule, links: readonly Link[], problems: Diagnostic[]) {
  // What the box's C sees: `volume.mount` is volume_mount(instance, ...), `<type>_call` calls a callback.
  // A definition with instances imports what each instance does (they link alike): `party` is one.
  const imported = new Map(callGroups(links, party).map((g) => [g.name, g]));
  const written = new Map([...box.imports].map(([name, s]) => [name.replace('.', '_'), s]));
  const wasi: { name: string; type: FuncType }[] = [];
  const resolved = new Map<string, ResolvedImport>();
  for (const imp of wasm.imports) {
    const where = { file: wasm.file, offset: imp.offset, context: 'section import' };
    const key = `${imp.module}.${imp.name}`;
    if (imp.desc.kind !== 'func') {
      problems.push({ code: 'B3004', message: `box ${box.name}: the module imports ${imp.desc.kind} ${key}; boxes share functions only`, location: where });
      continue;
    }
    const actual = wasm.types[imp.desc.typeIndex]!;
    if (wasiModules.has(imp.module)) {
      const expected = wasiFunctions[imp.name];
      if (!expected || !sameType(actual, expected)) {
        problems.push({ code: 'B3004', message: `box ${box.name}: unknown import ${key} ${formatFuncType(actual)}`, location: where, hint: `bento provides these ${wasiModule} functions: ${Object.keys(wasiFunctions).join(', ')}` });
        continue;
      }
      wasi.push({ name: imp.name, type: actual });
      resolved.set(key, { kind: 'host-func', symbol: wasiGateSymbol(box.name, imp.name) });
      continue;
    }
    if (imp.name === '__box_abort') {
      resolved.set(key, { kind: 'host-func', symbol: wasmImportSymbol(box.name, '__box_abort') });
      continue;
    }
    const group = imported.get(imp.name);
    if (!group) {
      problems.push({ code: 'B2006', message: `box ${box.name}: the module imports ${key}, which the recipe does not list in box.${box.name}.imports`, location: where });
      continue;
    }
    const expected = expectedType(group.signature, group.selector !== undefined);
    if (!sameType(actual, expected)) {
      const declared = written.get(imp.name);
      problems.push({
        code: 'B2006',
        message: `box ${box.name}: the module imports ${key} as ${formatFuncType(actual)}, but the recipe's "${declared?.text ?? group.selector?.type}" is ${formatFuncType(expected)} in WebAssembly${group.selector ? ` (the ${group.selector.kind} first)` : ''}`,
        location: declared?.location ?? where,
      });
      continue;
    }
    resolved.set(key, { kind: 'host-func', symbol: wasmImportSymbol(box.name, imp.name) });
  }
  return { wasi, resolved };
}

function checkWasmExports(box: RecipeBox, wasm: WasmModule, problems: Diagnostic[]): void {
  for (const [name, declared] of box.exports) {
    const exp = wasm.exports.find((e) => e.name === name);
    if (!exp || exp.kind !== 'func') {
      problems.push({ code: 'B2006', message: `box ${box.name}: the recipe exports '${name}', but the module has no function export of that name`, location: declared.location, hint: `in C, define it in a source that includes "${boxHeader}": the declaration there adds export_name` });
      continue;
    }
    const importedFuncs = wasm.imports.filter((i) => i.desc.kind === 'func');
    const actual =
      exp.index < importedFuncs.length
        ? wasm.types[(importedFuncs[exp.index]!.desc as { typeIndex: number }).typeIndex]!
        : wasm.types[wasm.funcTypes[exp.index - importedFuncs.length]!]!;
    const expected = expectedType(declared.signature);
    if (!sameType(actual, expected)) {
      problems.push({ code: 'B2006', message: `box ${box.name}: '${name}' is ${formatFuncType(actual)} in the module, but the recipe's "${declared.text}" is ${formatFuncType(expected)}`, location: declared.location });
    }
  }
}

let compilerHash: string | undefined;
/** A hash of the compiler's own sources, so a changed bento recompiles cached Wasm boxes. */
function compilerVersion(): string {
  if (compilerHash) return compilerHash;
  const hash = createHash('sha256');
  for (const dir of ['lower', 'wasm', 'compile']) {
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (e.isDirectory()) walk(join(d, e.name));
        else hash.update(readFileSync(join(d, e.name)));
      }
    };
    walk(join(bentoRoot, 'src', dir));
  }
  return (compilerHash = hash.digest('hex'));
}

/**
 * A C box whose code never reads or grows its memory's size gets a memory of exactly its stack,
 * data and heap: its 64 KiB pages become one-byte pages (custom-page-sizes), min = max = those
 * bytes. Nothing in the module can tell, and an access past them traps or faults.
 */
function sizedMemory(box: RecipeBox, wasm: WasmModule, module: BoxModule): WasmModule {
  if (!module.sizing || wasm.memories.length !== 1) return wasm;
  const bytes = Math.max(align(module.sizing.heapBase + module.sizing.heap, 32), box.ram ?? 0);
  if (box.ram !== undefined && box.ram < module.sizing.heapBase + module.sizing.heap) {
    throw new BentoError({
      code: 'B2001',
      message: `box ${box.name}: ram is ${box.ram} bytes, but its shadow stack and data take ${module.sizing.heapBase} bytes and its heap ${module.sizing.heap}: ${module.sizing.heapBase + module.sizing.heap} in all`,
      hint: `leave ram out (bento sizes the memory), or give at least ram = ${module.sizing.heapBase + module.sizing.heap}`,
    });
  }
  return { ...wasm, memories: [{ limits: { min: bytes, max: bytes }, pageSizeLog2: 0 }] };
}

/** The linear memory's region: as the board's MPU shapes it, but a whole power of two for mask's wrap. */
function memoryRegion(box: RecipeBox, bytes: number, board: Board): number {
  return box.bounds === 'mask' ? powerOfTwoRegion(bytes) : mpuRegionSize(bytes, regionRule(board));
}

const align = (n: number, to: number) => Math.ceil(n / to) * to;

/**
 * Compiles a Wasm box's module to an object under `prefix`: for a box, its own; for a definition
 * with instances, the definition's, renamed into each instance afterwards.
 */
async function compileWasmDefinition(box: RecipeBox, party: string, dir: string, ctx: BoxBuildContext): Promise<CompiledDefinition> {
  const prefix = boxPrefix(box.name);
  const module = await boxWasmModule(
    {
      box: box.name,
      sources: box.sources,
      include: [boxHeaderDir(ctx.headerDir, box.name), ...box.include],
      defines: box.defines,
      cflags: box.cflags,
      stack: box.stack,
      heap: box.heap,
      headerDir: ctx.headerDir,
      outDir: dir,
      werror: ctx.werror || box.werror,
      explainUndefined: (report, sources) => wasmBoxUndefined({ box, report, sources, exported: ctx.exported }),
    },
    ctx.onStep,
  );
  const file = module.file;
  const ramSize = region(ctx.board, 'ram').size;
  const wasm = sizedMemory(box, loadWasm(file), module);
  checkMemoryFits(wasm, ramSize);
  const problems: Diagnostic[] = [];
  const { wasi, resolved } = wasmImports(box, party, wasm, ctx.links, problems);
  checkWasmExports(box, wasm, problems);
  const memory = wasm.memories[0];
  const minBytes = memory ? memoryBytes(memory, memory.limits.min) : 0;
  if (box.ram !== undefined && box.ram < minBytes) {
    problems.push({ code: 'B2001', message: `box ${box.name}: ram is ${box.ram} bytes, but the module's initial memory is ${minBytes} bytes` });
  }
  if (problems.length > 0) throw new BentoError(problems);
  // A memory of 64 KiB pages grows a page at a time: its heap is reserved in whole pages.
  const memorySize = memoryRegion(box, memory?.pageSizeLog2 === 0 ? minBytes : Math.max(minBytes, box.ram ?? align(minBytes + box.heap, 65536), 65536), ctx.board);
  // The shadow stack pointer: by convention the first global, a mutable i32 (clang, Rust).
  const importedGlobals = wasm.imports.filter((i) => i.desc.kind === 'global').length;
  const first = wasm.globals[0];
  const stackPointer = first && first.type.mutable && first.type.type === 'i32' ? importedGlobals : undefined;
  const object = join(dir, 'module.o');
  const bytes = readFileSync(file);
  // A box to enter straight whose code may recurse checks its stack pointer on every function
  // entry, against a limit of its own; without recursion its stack is measured instead.
  const direct = boxEntry(box) === 'direct' && needsStackCheck(wasm);
  const stamp = stampOf([
    createHash('sha256').update(bytes).digest('hex'),
    prefix,
    box.bounds,
    String(memorySize),
    JSON.stringify(ctx.board.llvm),
    ctx.board.cpu.floatAbi,
    JSON.stringify([...resolved]),
    compilerVersion(),
    direct ? 'stack-check' : '',
  ]);
  let rebuilt = false;
  if (!isFresh(object, `${object}.cmd`, stamp, [file])) {
    const compiled = await compileWasm({
      wasm,
      board: ctx.board,
      object,
      bounds: box.bounds,
      prefix,
      memoryLimit: memorySize,
      inBox: true,
      ...(direct ? { stackCheck: true } : {}),
      externalGlobals: stackPointer === undefined ? [] : [stackPointer],
      stackSizes: true,
      resolveImport: (imp: Import) => resolved.get(`${imp.module}.${imp.name}`)!,
    });
    if (direct) {
      // Its stack check compares with a limit of its own, a constant the glue defines.
      await runTool('objcopy', ['--redefine-sym', `bento_wasm_stack_limit=${stackLimitSymbol(prefix)}`, object], { doing: `box ${box.name}: naming its stack limit`, failCode: 'B5003' });
    }
    writeFileSync(`${object}.cmd`, stamp);
    writeFileSync(`${object}.timings.json`, JSON.stringify(compiled.timings));
    rebuilt = true;
    ctx.onStep(`compiled box ${box.name} (${basename(file)}: lower ${compiled.timings.lower.toFixed(2)} s, opt ${compiled.timings.opt.toFixed(2)} s, llc ${compiled.timings.llc.toFixed(2)} s)`);
  }
  return { object, rebuilt, wasm, memorySize, stackPointer, wasi, compiled: module.compiled };
}

/** An instance's object: the definition's, every symbol of the definition's prefix renamed to the instance's. */
async function instanceObject(definition: CompiledDefinition, from: string, to: string, object: string): Promise<boolean> {
  const stamp = stampOf([definition.object, from, to]);
  if (!definition.rebuilt && isFresh(object, `${object}.cmd`, stamp, [definition.object])) return false;
  const { stdout } = await runTool('nm', ['-P', definition.object], { doing: `box ${to}: reading ${from}'s symbols` });
  // box_<from>_... (the compiler's own symbols) and box_<from>.<name> (functions the name section names).
  const owned = (symbol: string) => symbol.startsWith(`${boxPrefix(from)}_`) || symbol.startsWith(`${boxPrefix(from)}.`);
  const names = [...new Set(stdout.split('\n').flatMap((l) => (owned(l.split(' ')[0]!) ? [l.split(' ')[0]!] : [])))];
  const map = `${object}.symbols`;
  mkdirSync(dirname(object), { recursive: true });
  writeFileSync(map, names.map((n) => `${n} ${boxPrefix(to)}${n.slice(boxPrefix(from).length)}`).join('\n') + '\n');
  try {
    await runTool('objcopy', [`--redefine-syms=${map}`, definition.object, object], { doing: `box ${to}: renaming ${from}'s symbols`, failCode: 'B5003' });
  } finally {
    rmSync(map, { force: true });
  }
  writeFileSync(`${object}.cmd`, stamp);
  return true;
}

async function buildWasmBox(box: RecipeBox, ctx: BoxBuildContext): Promise<BoxObjects> {
  const dir = boxObjectDir(ctx.outDir, box.name);
  const prefix = boxPrefix(box.name);
  let definition: CompiledDefinition;
  let object: string;
  let rebuilt: boolean;
  if (box.instance) {
    const of = box.instance.of;
    let pending = ctx.definitions.get(of);
    if (!pending) {
      pending = compileWasmDefinition({ ...box, name: of }, box.name, definitionDir(ctx.outDir, of), ctx);
      ctx.definitions.set(of, pending);
    }
    definition = await pending;
    object = join(dir, 'module.o');
    rebuilt = await instanceObject(definition, of, box.name, object);
  } else {
    definition = await compileWasmDefinition(box, box.name, dir, ctx);
    object = definition.object;
    rebuilt = definition.rebuilt;
  }
  const { wasm, memorySize, stackPointer, wasi } = definition;
  const sizes = await measureObjects([object]);
  const checked = boxEntry(box) === 'direct' && needsStackCheck(wasm);
  const stack = await nativeStackOf(box, object, prefix, ctx.board, rebuilt, checked, ctx);
  ctx.onStep(`box ${box.name}: native stack ${stack.bytes} bytes, ${stack.source === 'measured' ? `measured (deepest: ${stack.why})` : `the recipe's ${stack.why.replace(/^its /, '')}`}`);
  let compileSeconds: number | undefined;
  try {
    const t = JSON.parse(readFileSync(`${definition.object}.timings.json`, 'utf8')) as Record<string, number>;
    compileSeconds = Object.values(t).reduce((a, b) => a + b, 0);
  } catch {
    compileSeconds = undefined;
  }
  const initialize = wasm.exports.some((e) => e.name === '_initialize' && e.kind === 'func') ? `${prefix}_export_${exportSymbolName('_initialize')}` : undefined;
  return {
    box,
    prefix,
    objects: [object],
    sizes,
    ramNeeds: stack.bytes + sizes.data + sizes.bss + (await dataPadding([object])) + wasmRegionSlack,
    stack,
    wasm: { memorySize, stackPointer: stackPointer === undefined ? undefined : `${prefix}_g${stackPointer}`, initialize, wasi },
    rebuilt,
    compileSeconds,
    compiled: box.instance && box.instance.index > 0 ? [] : definition.compiled,
  };
}

/**
 * What a Wasm box's RAM region holds beyond its native stack and its module's data, bss and their
 * alignment padding: the linker script's ALIGN(8) and ALIGN(4) around them (up to 4 + 3 + 4),
 * and room for its glue's data (none today). Native boxes keep 64 bytes.
 */
const wasmRegionSlack = 16;

/**
 * A Wasm box's native stack: what its compiled code needs (measureNativeStack over the object's
 * frames and calls, plus its glue and an exception frame), or the recipe's `stack` when that has
 * no static bound (recursion). Either way an overflow leaves the RAM region and faults (-25).
 * The measurement is kept beside the object, so an unchanged box is not measured again.
 */
async function nativeStackOf(box: RecipeBox, object: string, prefix: string, board: Board, rebuilt: boolean, checked: boolean, ctx: BoxBuildContext): Promise<BoxStack> {
  const cache = `${object}.stack.json`;
  let measured: NativeStack | undefined;
  let maxFrame = 0;
  if (!rebuilt) {
    try {
      const kept = JSON.parse(readFileSync(cache, 'utf8')) as NativeStack & { maxFrame?: number };
      // Only a measurement of this shape; anything else is measured again.
      if (typeof kept.bounded === 'boolean' && typeof kept.maxFrame === 'number') {
        measured = kept;
        maxFrame = kept.maxFrame;
      }
    } catch {
      measured = undefined;
    }
  }
  if (!measured) {
    const graph = await readCallGraph(object);
    // An import stub that passes a block of words keeps it on this stack; an export called with
    // one gets it pushed above its entry.
    const stubs = new Map(callGroups(ctx.links, box.name).map((g) => [`${prefix}_import_${g.name}`, importStubBytes(g)]));
    const straightGates = boxEntry(box) === 'direct';
    const gate = (symbol: string) => symbol.startsWith(`${prefix}_wasi_`) || symbol.startsWith(`${prefix}_import_`);
    const external = (symbol: string) => {
      const base = helperStack(symbol, prefix);
      return base === undefined ? undefined : base + (stubs.get(symbol) ?? 0) + (straightGates && gate(symbol) ? directGateBytes : 0);
    };
    const entryBlock = Math.max(0, ...[...box.exports.values()].map((e) => (wordCount(e.signature) > REGISTER_WORDS ? blockBytes(wordCount(e.signature)) : 0)));
    measured = measureNativeStack({ graph, external, boundary: entryGlueBytes + exceptionFrameBytes(board) + entryBlock });
    maxFrame = Math.max(0, ...[...graph.functions.values()].map((f) => f.frame ?? 0));
    writeFileSync(cache, JSON.stringify({ ...measured, maxFrame }));
  }
  const stack = recipeOrMeasured(box, measured, prefix);
  if (boxEntry(box) !== 'direct' || !checked) return { ...stack, bounded: measured.bounded };
  if (measured.bounded) return { ...stack, bounded: true, limit: 0 };
  // No static bound: a checked frame may leave the stack pointer this far above the limit's
  // line before the next check (a callee's prologue, a helper, an import stub and its gate,
  // then an exception frame): keep all of that inside the stack. It comes out of the recipe's
  // stack (which is a guess anyway), unless that would leave less than as much again above it.
  const limit = Math.ceil((maxFrame + uncheckedStackBytes + exceptionFrameBytes(board)) / 8) * 8;
  return { ...stack, bounded: false, bytes: stack.bytes >= 2 * limit ? stack.bytes : stack.bytes + limit, limit };
}

/** What a gate of a box entered straight keeps on the box's stack (bento_box_direct_gate: r4 and lr), beyond an SVC gate's allowance. */
const directGateBytes = 8;

/** The most a helper, an import stub (with its block of words) and the gate take below a checked frame. */
const uncheckedStackBytes = 160;

/** The symbol of a straight-entered box's stack limit (the glue defines it). */
export const stackLimitSymbol = (prefix: string) => `${prefix}_stack_limit`;

function recipeOrMeasured(box: RecipeBox, measured: NativeStack, prefix: string): BoxStack {
  const local = (symbol: string) => symbol.replace(new RegExp(`^${prefix}[_.]`), '');
  if (!measured.bounded) {
    const why = `no static bound: ${measured.reason.replace(new RegExp(`\\b${prefix}[_.]`, 'g'), '')}`;
    return box.nativeStack !== undefined ? { bytes: box.nativeStack, source: 'recipe', why: `its native-stack (${why})` } : { bytes: box.stack, source: 'recipe', why: `its stack (${why})` };
  }
  // A recipe may give more than the code needs (never less: the measurement is a bound).
  if (box.nativeStack !== undefined && box.nativeStack > measured.bytes) {
    return { bytes: box.nativeStack, source: 'recipe', why: `its native-stack (measured ${measured.bytes})` };
  }
  return { bytes: measured.bytes, source: 'measured', why: measured.deepest.map(local).join(' -> ') || 'no calls' };
}

async function buildNativeBox(box: RecipeBox, ctx: BoxBuildContext): Promise<BoxObjects> {
  const dir = boxObjectDir(ctx.outDir, box.name);
  for (const s of box.sources) {
    if (!s.endsWith('.c')) fail('B1004', `box ${box.name}: a native box is built from C files; ${basename(s)} is not one`);
  }
  const werror = ctx.werror || box.werror;
  // A definition with instances is compiled once (the objects of its first instance are up to date for the rest).
  const definition = box.instance?.of ?? box.name;
  const srcDir = box.instance ? definitionDir(ctx.outDir, definition) : dir;
  const flags = ['-O2', '-g', '-Wall', '-I', boxHeaderDir(ctx.headerDir, definition), '-I', ctx.headerDir, ...box.include.flatMap((d) => ['-I', d]), ...box.defines.map((d) => `-D${d}`), ...box.cflags, ...(werror ? ['-Werror'] : [])];
  const compiled = [];
  for (const source of box.sources) {
    const object = join(srcDir, 'src', relative(ctx.recipeDir, source).replace(/\.\.\//g, '__/').replace(/\.c$/, '.o'));
    const done = await compileC({ board: ctx.board, source, object, flags });
    if (!done.cached) ctx.onStep(`compiled ${relative(ctx.recipeDir, source)} (box ${definition})`);
    compiled.push(done);
  }
  // One object per box, whose exports and imports get the box's own names and whose other
  // symbols turn local: boxes and the host may then use the same names without clashing.
  const object = join(dir, 'box.o');
  mkdirSync(dir, { recursive: true }); // an instance's sources compile into its definition's folder
  const renames = [
    ...[...box.exports.keys()].flatMap((name) => ['--redefine-sym', `${name}=${nativeExportSymbol(box.name, name)}`]),
    ...callGroups(ctx.links, box.name).flatMap((g) => ['--redefine-sym', `${g.name}=${nativeImportSymbol(box.name, g.name)}`]),
    ...[...box.exports.keys()].flatMap((name) => ['-G', nativeExportSymbol(box.name, name)]),
  ];
  const inputs = compiled.map((c) => c.object);
  // The C library's members the box uses join its object (runtime-c/box-libc: src/build/box-libc.ts).
  const libc = await buildLibcArchives(ctx.board, ctx.outDir);
  const archives = libcInputs(box, libc);
  renames.push(...libcRenames(box));
  // -d: common symbols become definitions, which the renaming then makes local like the rest.
  const combine = ['-r', '-d', ...(werror ? ['--fatal-warnings'] : [])];
  const stamp = stampOf([...inputs, ...archives, ...combine, ...renames]);
  let rebuilt = compiled.some((c) => !c.cached);
  if (!isFresh(object, `${object}.cmd`, stamp, [...inputs, ...archives])) {
    // Combined and renamed under a temporary name, then put in place: box.o is whole or absent,
    // and the temporary is never left behind, whether a step fails or not.
    const tmp = `${object}.tmp`;
    try {
      await runTool('ld', [...combine, '-o', tmp, ...inputs, ...archives], { doing: `box ${box.name}: combining its objects`, failCode: 'B5003', warnings: true });
      await runTool('objcopy', [...renames, tmp], { doing: `box ${box.name}: renaming its symbols`, failCode: 'B5003' });
      renameSync(tmp, object);
    } finally {
      rmSync(tmp, { force: true });
    }
    writeFileSync(`${object}.cmd`, stamp);
    rebuilt = true;
  }
  // Sections no box may have (constructors first) and calls outside the box, all reported at once.
  const problems = await checkNativeBox({ box, compiled, combined: object, headerDir: ctx.headerDir });
  const { stdout } = await runTool('nm', [object], { doing: `box ${box.name}: reading its symbols` });
  const defined = new Set(stdout.split('\n').flatMap((l) => (/^[0-9a-f]+ T (\S+)$/.exec(l) ? [/^[0-9a-f]+ T (\S+)$/.exec(l)![1]!] : [])));
  const missing = [...box.exports.keys()].filter((name) => !defined.has(nativeExportSymbol(box.name, name)));
  problems.push(...missing.map((name) => ({ code: 'B2006' as const, message: `box ${box.name}: the recipe exports '${name}', but no source of the box defines it`, location: box.exports.get(name)!.location })));
  if (problems.length > 0) throw new BentoError(problems);
  const sizes = await measureObjects([object]);
  const stack: BoxStack = { bytes: box.stack, source: 'recipe', why: 'a native box has one stack' };
  return { box, prefix: boxPrefix(box.name), objects: [object], sizes, ramNeeds: box.stack + sizes.data + sizes.bss + box.heap + 64, stack, rebuilt, compiled: [...compiled.map((c) => c.command), ...libc.compiled] };
}

/** Compiles one box to objects, skipping what is up to date. */
export function buildBoxObjects(box: RecipeBox, ctx: BoxBuildContext): Promise<BoxObjects> {
  return box.runtime === 'wasm' ? buildWasmBox(box, ctx) : buildNativeBox(box, ctx);
}
