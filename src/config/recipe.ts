import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BentoError, fail } from '../diagnostics/error.js';
import type { Diagnostic, SourceLocation } from '../diagnostics/error.js';
import { checkDocument } from './schema.js';
import { parseSignature } from './signature.js';
import type { Signature, TypeTable } from './signature.js';
import { parseTypes } from './types.js';
import type { WrittenType } from './types.js';
import type { Field } from './schema.js';
import { loadToml } from './toml.js';
import { readServerless, serverlessSchema } from './serverless.js';
import type { RecipeFunction, RecipeServerless } from './serverless.js';

export type BoxRuntime = 'wasm' | 'native';
/** `always-restart` is not written in recipes: it is a serverless function's (src/config/serverless.ts). */
export type FaultPolicy = 'restart' | 'hold' | 'panic' | 'always-restart';

/** One box of a recipe, with sizes in bytes (undefined: left to the planner). */
export interface RecipeBox {
  /** The box's name; an instance's is `<box>_<instance>` (`volume_0`, `volume_boot`). */
  name: string;
  /** One of the instances of `box.<instance.of>`: compiled once, each with its own memory. */
  instance?: BoxInstance;
  runtime: BoxRuntime;
  /** C sources (built for wasm32 or Thumb), a .wat, or a prebuilt .wasm; absolute paths. */
  sources: readonly string[];
  include: readonly string[];
  defines: readonly string[];
  cflags: readonly string[];
  code?: number;
  ram?: number;
  stack: number;
  /** A Wasm box's native stack where its code has no static bound (recursion): `native-stack`. */
  nativeStack?: number;
  heap: number;
  bounds: 'software' | 'mask' | 'mpu' | 'none';
  onFault: FaultPolicy;
  /** How many times `restart` may re-initialise the box. */
  restartLimit: number;
  /** CPU time one call into the box may take (undefined: unlimited). */
  budget?: BoxBudget;
  /** Function name -> signature text, with where the text is written. */
  imports: ReadonlyMap<string, LocatedSignature>;
  exports: ReadonlyMap<string, LocatedSignature>;
  /** Device interrupts the box handles (`box.<name>.interrupts`), in the order written. */
  interrupts: readonly RecipeBoxInterrupt[];
  /** Compiler and linker warnings in the box's sources are errors (`werror`). */
  werror: boolean;
  /** A native box's stateful C library services (`libc`, src/build/box-libc.ts), in bento's order; and where the key is written. */
  libc: readonly LibcService[];
  libcLocation?: SourceLocation;
  /** Where the box's table is written, and its size keys' values (code, ram, stack, heap) where given: for messages. */
  location: SourceLocation;
  keyLocations: ReadonlyMap<'code' | 'ram' | 'stack' | 'heap', SourceLocation>;
  /** A serverless function (`[function.<name>]`): its route, times and instance policy. */
  function?: RecipeFunction;
}

/**
 * A device interrupt given to a box: a line the board names, and the box's export that handles
 * it (`interrupts = ["TIMER0"]` means the CMSIS name TIMER0_IRQHandler). Checked in the plan
 * stage (src/plan/interrupts.ts).
 */
export interface RecipeBoxInterrupt {
  box: string;
  /** A name from the board's `[interrupts]`, or the line's number. */
  line: string | number;
  handler: string;
  location: { line: SourceLocation; handler: SourceLocation };
}

/** Which instance of a box definition a box is. */
export interface BoxInstance {
  /** The definition's name (`box.<of>` in the recipe). */
  of: string;
  index: number;
  count: number;
  /** Its own name within the definition: the index, or the name the recipe gives. */
  label: string;
}

/** The export a box's interrupt runs when the recipe names only the line: CMSIS's name for it. */
export const cmsisHandlerName = (line: string | number) => (typeof line === 'number' ? `IRQ${line}_IRQHandler` : `${line}_IRQHandler`);

/** A box's CPU budget per call, and where the recipe sets it (the board decides the ticks). */
export interface BoxBudget {
  nanoseconds: number;
  location: SourceLocation;
}

/** The shortest budget a recipe may ask for: less is below the cost of entering the box. */
export const minBudgetNanoseconds = 1000;

/**
 * A host interrupt handler as written in the recipe (`host.interrupts.<name>`): checked against
 * the board in the plan stage (src/plan/interrupts.ts), so every value keeps where it is written.
 */
export interface RecipeInterrupt {
  /** The table's key: a name for the line, used in messages and the generated table. */
  name: string;
  /** The NVIC line as written: its number, or a name from the board's `[interrupts]` (the plan resolves it). */
  irq: number | string;
  handler: string;
  /** Logical priority, 1 (highest a host handler may have) .. 2^bits - 1; undefined: the lowest. */
  priority?: number;
  location: { table: SourceLocation; irq: SourceLocation; handler: SourceLocation; priority?: SourceLocation };
}

/** A signature as written (with where) and as parsed. */
export interface LocatedSignature {
  text: string;
  location: SourceLocation;
  signature: Signature;
  /** Written as the name of a callback type of [types]: the function may be passed as one. */
  callback?: string;
}

/** A project: the host program and its boxes, read from bento.toml. */
export interface Recipe {
  file: string;
  /** The folder holding bento.toml; sources are relative to it. */
  dir: string;
  name: string;
  host: {
    sources: readonly string[];
    include: readonly string[];
    defines: readonly string[];
    cflags: readonly string[];
    stack: number;
    /** Bytes of no-access MPU guard below the stack (0 = none). */
    stackGuard: number;
    heap: number;
    imports: ReadonlyMap<string, LocatedSignature>;
    exports: ReadonlyMap<string, LocatedSignature>;
    /** Host interrupt handlers, sorted by name (the plan resolves their lines and sorts by line). */
    interrupts: readonly RecipeInterrupt[];
    /** Compiler and linker warnings in the host's sources (and the image's link) are errors (`werror`). */
    werror: boolean;
    /** Where the recipe's `[host]` is, and its size keys' values where given: for messages. */
    location: SourceLocation;
    keyLocations: ReadonlyMap<'stack' | 'heap', SourceLocation>;
  };
  /** Sorted by name, so the same recipe always builds the same image; instances expanded. */
  boxes: readonly RecipeBox[];
  /** `[types]`: structs, handles and callback types, by name. */
  types: TypeTable;
  /** `[serverless]`, present when the recipe has functions (`[function.<name>]`, among `boxes`). */
  serverless?: RecipeServerless;
}

/** `box.<name>.libc`: the stateful services of a native box's C library (src/build/box-libc.ts). */
export const libcServices = ['heap', 'printf'] as const;
export type LibcService = (typeof libcServices)[number];
const libcField: Field = {
  kind: 'array',
  doc: 'native: the stateful C library services the box gets: "heap" (malloc, free, calloc, realloc in its own region, its heap key\'s bytes) and "printf" (printf, vprintf, puts, putchar to the console through the host); assert, snprintf and memcpy need none (default: none)',
  of: { kind: 'string', doc: 'a service: heap or printf', oneOf: [...libcServices] },
};

const stringList = (doc: string): Field => ({ kind: 'array', doc, of: { kind: 'string', doc } });
const signatureMap = (doc: string): Field => ({ kind: 'map', doc, of: { kind: 'string', doc: 'a signature, e.g. "fn(i32, const u8[size], usize size) -> errsize"' } });

export const recipeSchema: Record<string, Field> = {
  name: { kind: 'string', doc: 'project name: the image is build/<board>/<name>.elf', required: true },
  types: {
    kind: 'map',
    doc: 'types that cross the box boundary, by name',
    of: { kind: 'string', doc: 'a struct "struct { u32 a, u8[16] b }", an opaque "handle" (or "handle[N]": N slots), or a callback type "fn(...) -> err"' },
  },
  host: {
    kind: 'table',
    doc: 'the privileged host program',
    required: true,
    fields: {
      sources: { ...stringList('C source files, relative to bento.toml'), required: true },
      include: stringList('include folders, relative to bento.toml'),
      defines: stringList('preprocessor definitions, NAME or NAME=VALUE'),
      cflags: stringList('extra compiler flags'),
      werror: { kind: 'bool', doc: "compiler and linker warnings in the host's sources and the image's link are errors (-Werror; default false; bento build --werror sets it everywhere)" },
      stack: { kind: 'size', doc: 'main stack size (default 8 KiB)' },
      'stack-guard': { kind: 'size', doc: 'MPU no-access guard below the stack: a power of two >= 32, or 0 for none (default 1 KiB)' },
      heap: { kind: 'size', doc: 'heap size for malloc (default 64 KiB)' },
      imports: signatureMap('functions the host calls in boxes: name = "fn(...) -> ..."'),
      exports: signatureMap('functions the host offers boxes: name = "fn(...) -> ..."'),
      interrupts: {
        kind: 'map',
        doc: 'host interrupt handlers, by a name of your choosing for the line',
        of: {
          kind: 'table',
          doc: 'one interrupt line and the host function that handles it',
          fields: {
            irq: {
              kind: 'either',
              doc: "the NVIC line: a name from the board's [interrupts] table (the part's vector table, e.g. \"TIMER0\"), or the external interrupt number, 0 .. the board's cpu.irqs - 1",
              required: true,
              of: [
                { kind: 'string', doc: "a line the board names in its [interrupts] table, e.g. \"TIMER0\"" },
                { kind: 'int', doc: "the external interrupt number, 0 .. the board's cpu.irqs - 1", min: 0 },
              ],
            },
            handler: { kind: 'string', doc: 'a C function of the host, void handler(void)', required: true },
            priority: { kind: 'int', doc: "1 (highest; 0 is bento's) .. 2^cpu.priority-bits - 1 (default: the lowest)" },
          },
        },
      },
    },
  },
  box: {
    kind: 'map',
    doc: 'the boxes, by name',
    of: {
      kind: 'table',
      doc: 'one box',
      fields: {
        runtime: { kind: 'string', doc: 'wasm (compiled from WebAssembly) or native (C, isolated by the MPU)', required: true, oneOf: ['wasm', 'native'] },
        sources: { ...stringList('C sources, a .wat or a .wasm, relative to bento.toml'), required: true },
        include: stringList('include folders, relative to bento.toml'),
        defines: stringList('preprocessor definitions, NAME or NAME=VALUE'),
        cflags: stringList('extra compiler flags'),
        werror: { kind: 'bool', doc: "compiler and linker warnings in the box's sources are errors (-Werror; default false; bento build --werror sets it everywhere)" },
        code: { kind: 'size', doc: 'a limit on the code and constants the box may take (default: none)' },
        ram: { kind: 'size', doc: 'native: its RAM region (default: what stack, data, bss and heap need); wasm: its linear memory region (default: the initial memory plus heap)' },
        stack: { kind: 'size', doc: 'the box stack, at the bottom of its RAM region; for C built to wasm also the shadow stack (default 4 KiB)' },
        'native-stack': { kind: 'size', doc: "wasm: the native stack of its compiled code when bento cannot measure it (recursion), or more than it measures (default: the measurement, else stack)" },
        heap: { kind: 'size', doc: 'native: bytes after its bss for the box to use; wasm: added to the initial memory (default 0)' },
        bounds: { kind: 'string', doc: 'bounds strategy of a wasm box (default software)', oneOf: ['software', 'mask', 'mpu', 'none'] },
        'on-fault': { kind: 'string', doc: 'what a fault does: restart (lazily, on the next call), hold (stays dead), panic (stops the system)', oneOf: ['restart', 'hold', 'panic'] },
        restarts: { kind: 'int', doc: 'restart limit for on-fault = "restart" (default 3)', min: 0, max: 255 },
        budget: {
          kind: 'duration',
          doc: 'CPU time one call may run in the box, e.g. "10 ms" (host calls it makes are not counted); past it the call is aborted with BENTO_E_BUDGET (default: none)',
          min: minBudgetNanoseconds,
        },
        imports: signatureMap('functions the box calls: name = "fn(...) -> ..."'),
        exports: signatureMap('functions the box offers: name = "fn(...) -> ..."'),
        instances: {
          kind: 'either',
          doc: 'instances of this box: compiled once, each with its own memory and state, named <box>_<i> (or <box>_<name>); importers reach them as "<box>.<function>" with the instance first',
          of: [
            { kind: 'int', doc: 'how many: <box>_0 .. <box>_<N-1>', min: 1, max: 64 },
            { kind: 'array', doc: 'their names: <box>_<name> each', of: { kind: 'string', doc: 'a C identifier' } },
          ],
        },
        libc: libcField,
        interrupts: {
          kind: 'either',
          doc: "device interrupts the box handles, by the board's names for the lines: its top half masks the line, then the box's handler export runs as an ordinary box call and the line is unmasked",
          of: [
            {
              kind: 'array',
              doc: 'lines, e.g. ["TIMER0"]: each runs the export <LINE>_IRQHandler (IRQ<n>_IRQHandler for a number), fn() or fn() -> err',
              of: {
                kind: 'either',
                doc: 'a line',
                of: [
                  { kind: 'string', doc: "a line the board names in its [interrupts] table" },
                  { kind: 'int', doc: "the external interrupt number, 0 .. the board's cpu.irqs - 1", min: 0 },
                ],
              },
            },
            { kind: 'map', doc: 'line (a name or a number) = the export that handles it, e.g. TIMER0 = "on_tick" (fn() or fn() -> err)', of: { kind: 'string', doc: 'an export of the box' } },
          ],
        },
      },
    },
  },
};
// Functions take the Wasm box keys they can use from a box table's own fields.
Object.assign(recipeSchema, serverlessSchema((recipeSchema.box as { of: { fields: Record<string, Field> } }).of.fields));

/**
 * Names a box may not have: the glue calls a box's record bento_box_<name>, and the runtime
 * (runtime-c/box, bento/box.h, bento/link.h) already uses these bento_box_ names.
 */
const runtimeBoxNames = new Set([
  'abort', 'abort_caller', 'call', 'caller', 'current', 'enterable', 'error_name', 'expire', 'fail', 'fault', 'fault_unwind', 'faults', 'frame',
  'host_trampoline', 'last_error', 'own_code', 'policy', 'prepare', 'region', 'region_t', 'report', 'report_t', 'reset_ram', 'run', 'space',
  'space_t', 'state', 'state_name', 't', 'trampoline', 'unprivileged',
]);

/** `spec` is a bento.toml or the folder holding one. */
export function loadRecipe(spec: string, cwd = process.cwd()): Recipe {
  let file = resolve(cwd, spec);
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'bento.toml');
  if (!existsSync(file)) fail('B1007', `no recipe at ${file}`, { hint: 'run bento in a project folder holding bento.toml, or pass --recipe' });
  const doc = loadToml(file);
  const raw = checkDocument(doc, recipeSchema) as any;
  const dir = dirname(file);
  const host = raw.host;
  const problems: Diagnostic[] = [];
  (host.sources as string[]).forEach((src, i) => {
    if (!existsSync(resolve(dir, src))) {
      problems.push({ code: 'B1007', message: `source file '${src}' not found`, location: doc.values.get(`host.sources[${i}]`) ?? { file } });
    }
  });
  const stackGuard = host['stack-guard'] ?? 1024;
  if (stackGuard !== 0 && (stackGuard < 32 || (stackGuard & (stackGuard - 1)) !== 0)) {
    problems.push({ code: 'B1004', message: `'host.stack-guard' is ${stackGuard}, must be 0 or a power of two >= 32 (an MPU region)`, location: doc.values.get('host.stack-guard') ?? { file } });
  }
  const writtenTypes: WrittenType[] = Object.entries((raw.types ?? {}) as Record<string, string>).map(([name, text]) => {
    const at = doc.values.get(`types.${name}`) ?? { file };
    return { name, text, location: at.column === undefined ? at : { ...at, column: at.column + 1 }, keyLocation: doc.keys.get(`types.${name}`) ?? at };
  });
  let types: TypeTable = new Map();
  try {
    types = parseTypes(writtenTypes);
  } catch (err) {
    if (!(err instanceof BentoError)) throw err;
    problems.push(...err.diagnostics);
  }
  /** Imports may name the box they come from (`volume.mount`); exports are plain names. */
  const signatures = (table: Record<string, string> | undefined, path: string, qualified: boolean): Map<string, LocatedSignature> => {
    const out = new Map<string, LocatedSignature>();
    for (const [name, text] of Object.entries(table ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      const location = doc.values.get(`${path}.${name}`) ?? { file };
      const keyAt = doc.keys.get(`${path}.${name}`) ?? location;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !(qualified && /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/.test(name))) {
        const how = qualified ? `: a C identifier, or "<box>.<function>" for a function of one box (quoted in TOML: imports."volume.mount")` : ': it becomes a C function name';
        problems.push({ code: 'B1004', message: `'${name}' in ${path} must be a C identifier${how}`, location: keyAt });
        continue;
      }
      const named = types.get(text.trim());
      if (named) {
        if (named.kind !== 'callback') {
          problems.push({ code: 'B1008', message: `'${name}' in ${path} is '${text}', a ${named.kind}, not a function type`, location, hint: 'write a signature "fn(...) -> ...", or the name of a callback type of [types]' });
          continue;
        }
        out.set(name, { text, location, signature: named.signature, callback: named.name });
        continue;
      }
      try {
        // Columns inside the string count from its first character, one past the quote.
        const signature = parseSignature(text, { file, line: location.line, column: location.column === undefined ? undefined : location.column + 1 }, types);
        out.set(name, { text, location, signature });
      } catch (err) {
        if (!(err instanceof BentoError)) throw err;
        problems.push(...err.diagnostics);
      }
    }
    return out;
  };
  const definitions: RecipeBox[] = Object.entries((raw.box ?? {}) as Record<string, any>)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, box]) => {
      (box.sources as string[]).forEach((src, i) => {
        if (!existsSync(resolve(dir, src))) problems.push({ code: 'B1007', message: `box ${name}: source file '${src}' not found`, location: doc.values.get(`box.${name}.sources[${i}]`) ?? { file } });
      });
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) problems.push({ code: 'B1004', message: `box name '${name}' must be a C identifier`, location: doc.keys.get(`box.${name}`) ?? { file } });
      if (name === 'host') problems.push({ code: 'B1004', message: `'host' is the host's name; call the box something else`, location: doc.keys.get(`box.${name}`) ?? { file } });
      if (box['native-stack'] !== undefined && box.runtime !== 'wasm') problems.push({ code: 'B1004', message: `box ${name}: 'native-stack' is for Wasm boxes; a native box's only stack is its 'stack'`, location: doc.keys.get(`box.${name}.native-stack`) ?? { file } });
      if (runtimeBoxNames.has(name)) problems.push({ code: 'B1004', message: `box name '${name}' is taken: the runtime's bento_box_${name} would clash with the box's record, bento_box_${name}`, location: doc.keys.get(`box.${name}`) ?? { file }, hint: 'call the box something else' });
      const twin = Object.keys(raw.box ?? {}).find((other) => other !== name && other.toLowerCase() === name.toLowerCase());
      if (twin && twin < name) problems.push({ code: 'B1004', message: `boxes '${twin}' and '${name}' differ only in case; their linker regions would clash`, location: doc.keys.get(`box.${name}`) ?? { file } });
      return {
        name,
        runtime: box.runtime,
        sources: box.sources.map((s: string) => resolve(dir, s)),
        include: (box.include ?? []).map((s: string) => resolve(dir, s)),
        defines: box.defines ?? [],
        cflags: box.cflags ?? [],
        code: box.code,
        ram: box.ram,
        stack: box.stack ?? 4096,
        ...(box['native-stack'] !== undefined ? { nativeStack: box['native-stack'] } : {}),
        heap: box.heap ?? 0,
        bounds: box.bounds ?? 'software',
        onFault: box['on-fault'] ?? 'restart',
        restartLimit: box.restarts ?? 3,
        ...(box.budget !== undefined ? { budget: { nanoseconds: box.budget, location: doc.values.get(`box.${name}.budget`) ?? { file } } } : {}),
        imports: signatures(box.imports, `box.${name}.imports`, true),
        exports: signatures(box.exports, `box.${name}.exports`, false),
        interrupts: boxInterrupts(name, box.interrupts),
        werror: box.werror ?? false,
        ...boxLibc(name, box),
        location: doc.keys.get(`box.${name}`) ?? { file },
        keyLocations: new Map((['code', 'ram', 'stack', 'heap'] as const).flatMap((k) => (doc.values.has(`box.${name}.${k}`) ? [[k, doc.values.get(`box.${name}.${k}`)!] as const] : []))),
      };
    });
  /** `box.<name>.libc`: the services, in bento's order; a native box's only (Wasm boxes have wasi-libc). */
  function boxLibc(box: string, raw: { runtime: string; libc?: string[] }): { libc: LibcService[]; libcLocation?: SourceLocation } {
    if (raw.libc === undefined) return { libc: [] };
    const libcLocation = doc.values.get(`box.${box}.libc`) ?? doc.keys.get(`box.${box}.libc`) ?? { file };
    if (raw.runtime !== 'native') {
      problems.push({ code: 'B1004', message: `box ${box}: 'libc' is for native boxes; a Wasm box built from C has all of wasi-libc (printf, malloc)`, location: libcLocation, hint: 'remove the key' });
    }
    return { libc: libcServices.filter((s) => raw.libc!.includes(s)), libcLocation };
  }
    /** `box.<name>.interrupts`, a list of lines or a table of line = handler export. */
  function boxInterrupts(box: string, written: unknown): RecipeBoxInterrupt[] {
    const path = `box.${box}.interrupts`;
    if (Array.isArray(written)) {
      return (written as (string | number)[]).map((line, i) => {
        const at = doc.values.get(`${path}[${i}]`) ?? doc.keys.get(path) ?? { file };
        return { box, line, handler: cmsisHandlerName(line), location: { line: at, handler: at } };
      });
    }
    return Object.entries((written ?? {}) as Record<string, string>).map(([line, handler]) => ({
      box,
      line: /^\d+$/.test(line) ? Number(line) : line,
      handler,
      location: { line: doc.keys.get(`${path}.${line}`) ?? { file }, handler: doc.values.get(`${path}.${line}`) ?? { file } },
    }));
  }
  const functions = readServerless(raw, doc, (p) => resolve(dir, p), existsSync, (table, path) => signatures(table, path, true), problems);
  for (const f of functions.boxes) {
    if ((raw.box ?? {})[f.name] !== undefined) problems.push({ code: 'B1004', message: `function ${f.name} has the name of a box`, location: f.location, hint: 'a function is a box of its own: rename one of them' });
  }
  const boxes = [...expandInstances(definitions, raw.box ?? {}, (path) => doc.keys.get(path) ?? doc.values.get(path) ?? { file }, problems), ...functions.boxes].sort((a, b) => a.name.localeCompare(b.name));
  const hostImports = signatures(host.imports, 'host.imports', true);
  for (const [name, sig] of functions.hostImports) hostImports.set(name, sig);
  const hostExports = signatures(host.exports, 'host.exports', false);
  const interrupts: RecipeInterrupt[] = Object.entries((host.interrupts ?? {}) as Record<string, any>)
    .map(([name, t]) => {
      const path = `host.interrupts.${name}`;
      const at = (key: string) => doc.values.get(`${path}.${key}`) ?? doc.keys.get(path) ?? { file };
      return {
        name,
        irq: t.irq,
        handler: t.handler,
        ...(t.priority !== undefined ? { priority: t.priority } : {}),
        location: { table: doc.keys.get(path) ?? { file }, irq: at('irq'), handler: at('handler'), ...(t.priority !== undefined ? { priority: at('priority') } : {}) },
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (problems.length > 0) throw new BentoError(problems);
  return {
    file,
    dir,
    name: raw.name,
    boxes,
    types,
    ...(functions.serverless ? { serverless: functions.serverless } : {}),
    host: {
      sources: host.sources.map((s: string) => resolve(dir, s)),
      include: (host.include ?? []).map((s: string) => resolve(dir, s)),
      defines: host.defines ?? [],
      cflags: host.cflags ?? [],
      stack: host.stack ?? 8 * 1024,
      stackGuard,
      heap: host.heap ?? 64 * 1024,
      imports: hostImports,
      exports: hostExports,
      interrupts,
      werror: host.werror ?? false,
      location: doc.keys.get('host') ?? { file },
      keyLocations: new Map((['stack', 'heap'] as const).flatMap((k) => (doc.values.has(`host.${k}`) ? [[k, doc.values.get(`host.${k}`)!] as const] : []))),
    },
  };
}

/**
 * A box with `instances` becomes one box per instance, `<box>_<label>`, each with its own memory
 * and state; the build compiles the definition once. Names must not collide with other boxes.
 */
function expandInstances(definitions: readonly RecipeBox[], written: Record<string, any>, at: (path: string) => SourceLocation, problems: Diagnostic[]): RecipeBox[] {
  const out: RecipeBox[] = [];
  for (const box of definitions) {
    const spec = written[box.name]?.instances as number | string[] | undefined;
    if (spec === undefined) {
      out.push(box);
      continue;
    }
    const labels = typeof spec === 'number' ? Array.from({ length: spec }, (_, i) => String(i)) : spec;
    const where = at(`box.${box.name}.instances`);
    const bad = labels.find((l) => !/^[A-Za-z0-9_]+$/.test(l));
    if (bad !== undefined || labels.length === 0 || new Set(labels).size !== labels.length) {
      problems.push({ code: 'B1004', message: `box ${box.name}: instances must be a count, or distinct names of letters, digits and _${bad !== undefined ? ` ('${bad}' is not one)` : ''}`, location: where });
      continue;
    }
    if (box.interrupts.length > 0) {
      problems.push({ code: 'B1004', message: `box ${box.name}: a box with instances cannot own interrupts (each line has one handler)`, location: where });
      continue;
    }
    labels.forEach((label, index) => out.push({ ...box, name: `${box.name}_${label}`, instance: { of: box.name, index, count: labels.length, label } }));
  }
  const names = new Map<string, RecipeBox>();
  for (const b of out) {
    const other = names.get(b.name);
    if (other) problems.push({ code: 'B1004', message: `box ${b.name}${b.instance ? ` (instance ${b.instance.label} of ${b.instance.of})` : ''} has the name of another box`, location: b.location, hint: 'rename the box or give the instances names' });
    names.set(b.name, b);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
