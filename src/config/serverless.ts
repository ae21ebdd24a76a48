/**
 * Serverless recipes: `[function.<name>]` tables, each a Wasm box that serves requests of one route,
 * and `[serverless]`, the device's request line and scheduler. A function becomes an ordinary box
 * (runtime wasm, software bounds, entered straight) exporting the fixed handler `handle`, and the
 * host imports it as `<name>.handle`, so the rest of the pipeline (links, glue, plan) treats it
 * like any box. The plan stage (src/plan/serverless.ts) checks it against the board.
 */
import type { Diagnostic, SourceLocation } from '../diagnostics/error.js';
import type { Field } from './schema.js';
import { parseSignature } from './signature.js';
import type { LocatedSignature, RecipeBox } from './recipe.js';

/** The handler every function exports: the request in, the response out, its length or an error back. */
export const handlerName = 'handle';
export const handlerSignatureText = 'fn(const u8[len] req, usize len, mut u8[cap] resp, usize cap) -> errsize';

export type InstancePolicy = 'fresh' | 'warm';
export type SchedulerPolicy = 'edf' | 'fifo';

/** What makes a box a function. Times are in nanoseconds as written; the plan turns them into ticks. */
export interface RecipeFunction {
  route: string;
  expectedNs: number;
  deadlineNs: number;
  instance: InstancePolicy;
  maxRequest: number;
  maxResponse: number;
  location: SourceLocation;
  keyLocations: ReadonlyMap<string, SourceLocation>;
}

/** `[serverless]`: where requests come in, and how they are scheduled. */
export interface RecipeServerless {
  /** The board's `[uarts.<name>]`; undefined: the board's only one (the plan decides). */
  uart?: string;
  scheduler: SchedulerPolicy;
  /** Admission bound: admitted load (expected execution / relative deadline, summed) in percent. */
  utilisationPercent: number;
  /** Request slots: requests received and not yet answered. */
  queue: number;
  /** NVIC priority of the request UART's interrupt (1 highest). */
  priority: number;
  location: SourceLocation;
  keyLocations: ReadonlyMap<string, SourceLocation>;
}

/** The host function that drives the request UART: its lines' handler (runtime-c/serverless/). */
export const requestUartHandler = 'bento_sl_uart_isr';

/**
 * `[serverless]` and `[function.<name>]`. A function takes the Wasm box keys it can use as they are
 * (`box`: the fields of a box table), and its own.
 */
export function serverlessSchema(box: Record<string, Field>): Record<string, Field> {
  const shared = ['include', 'defines', 'cflags', 'werror', 'code', 'native-stack', 'heap', 'imports'] as const;
  return {
    serverless: {
      kind: 'table',
      doc: 'a serverless device: functions fired by requests over a UART of the board, scheduled by deadline',
      fields: {
        uart: { kind: 'string', doc: "the board's [uarts.<NAME>] that carries requests (default: the board's only one)" },
        scheduler: { kind: 'string', doc: 'edf (earliest absolute deadline first, preemptive; default) or fifo (arrival order, run to completion)', oneOf: ['edf', 'fifo'] },
        utilisation: { kind: 'int', doc: "admission bound in percent: a request is refused when the admitted load (each admitted request's expected execution over its relative deadline, summed) plus its own would pass it (default 80)", min: 1, max: 100 },
        queue: { kind: 'int', doc: 'request slots: requests received and not yet answered (default 8); one more is refused with QUEUE_FULL', min: 1, max: 64 },
        priority: { kind: 'int', doc: "NVIC priority of the request UART's interrupt (default 1, the highest a host handler may have)", min: 1 },
      },
    },
    function: {
      kind: 'map',
      doc: 'serverless functions, by name: each a Wasm box exporting handle(req, len, resp, cap)',
      of: {
        kind: 'table',
        doc: 'one function',
        fields: {
          sources: { ...box.sources!, doc: 'C sources, a .wat or a .wasm, relative to bento.toml; it exports handle' } as Field,
          ...Object.fromEntries(shared.map((k) => [k, box[k]!])),
          route: { kind: 'string', doc: "the route requests name (default: the function's name); 1-31 letters, digits, _ - ." },
          'expected-execution': { kind: 'duration', doc: "the function's expected execution time per request (SLEdge's expected-execution-us), for admission control", required: true, min: 1000 },
          'relative-deadline': { kind: 'duration', doc: "a request's deadline after its arrival unless the request gives its own (SLEdge's relative-deadline-us)", required: true, min: 1000 },
          budget: { kind: 'duration', doc: 'CPU time one request may take; past it the function is stopped and the request answered BUDGET_EXCEEDED (default: none)', min: 1000 },
          instance: { kind: 'string', doc: 'fresh (default: every request sees the instance as its start-up left it) or warm (state carries over between requests)', oneOf: ['fresh', 'warm'] },
          'max-request': { kind: 'size', doc: 'the largest request payload (default 256 bytes); a larger one is answered TOO_LARGE' },
          'max-response': { kind: 'size', doc: "the function's response buffer (default 256 bytes)" },
          ram: { kind: 'size', doc: 'its linear memory (default: shadow stack, data and heap)' },
          stack: { kind: 'size', doc: 'its shadow stack, which also holds the copied request and response (default: max-request + max-response + 2 KiB)' },
        },
      },
    },
  };
}

interface Doc {
  file: string;
  keys: ReadonlyMap<string, SourceLocation>;
  values: ReadonlyMap<string, SourceLocation>;
}

export interface ServerlessParts {
  serverless?: RecipeServerless;
  /** The functions as boxes (unsorted; the recipe sorts every box). */
  boxes: RecipeBox[];
  /** Host imports of the handlers, `<name>.handle`. */
  hostImports: Map<string, LocatedSignature>;
}

/** Reads `[serverless]` and `[function.*]`; problems go to `problems` with their locations. */
export function readServerless(raw: any, doc: Doc, resolvePath: (p: string) => string, exists: (p: string) => boolean, importsOf: (table: Record<string, string> | undefined, path: string) => Map<string, LocatedSignature>, problems: Diagnostic[]): ServerlessParts {
  const at = (path: string): SourceLocation => doc.values.get(path) ?? doc.keys.get(path) ?? { file: doc.file };
  const functions = Object.entries((raw.function ?? {}) as Record<string, any>).sort(([a], [b]) => a.localeCompare(b));
  const parts: ServerlessParts = { boxes: [], hostImports: new Map() };
  if (raw.serverless === undefined && functions.length === 0) return parts;
  if (functions.length === 0) {
    problems.push({ code: 'B1004', message: '[serverless] is given but there is no [function.<name>]', location: doc.keys.get('serverless') ?? { file: doc.file }, hint: 'add a function, e.g. [function.echo] with sources, expected-execution and relative-deadline' });
    return parts;
  }
  const s = raw.serverless ?? {};
  const keys = (prefix: string, names: readonly string[]) => new Map(names.flatMap((k) => (doc.values.has(`${prefix}.${k}`) ? [[k, doc.values.get(`${prefix}.${k}`)!] as const] : [])));
  const serverless: RecipeServerless = {
    ...(s.uart !== undefined ? { uart: s.uart } : {}),
    scheduler: s.scheduler ?? 'edf',
    utilisationPercent: s.utilisation ?? 80,
    queue: s.queue ?? 8,
    priority: s.priority ?? 1,
    location: doc.keys.get('serverless') ?? doc.keys.get(`function.${functions[0]![0]}`) ?? { file: doc.file },
    keyLocations: keys('serverless', ['uart', 'scheduler', 'utilisation', 'queue', 'priority']),
  };
  parts.serverless = serverless;
  const handler = parseSignature(handlerSignatureText, { file: doc.file }, new Map());
  const routes = new Map<string, string>();
  for (const [name, f] of functions) {
    const path = `function.${name}`;
    const where = doc.keys.get(path) ?? { file: doc.file };
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) problems.push({ code: 'B1004', message: `function name '${name}' must be a C identifier`, location: where });
    (f.sources as string[]).forEach((src, i) => {
      if (!exists(resolvePath(src))) problems.push({ code: 'B1007', message: `function ${name}: source file '${src}' not found`, location: at(`${path}.sources[${i}]`) });
    });
    const route: string = f.route ?? name;
    if (!/^[A-Za-z0-9_.-]{1,31}$/.test(route)) problems.push({ code: 'B1004', message: `function ${name}: route '${route}' must be 1-31 letters, digits, _ - or .`, location: at(`${path}.route`) });
    const twin = routes.get(route);
    if (twin) problems.push({ code: 'B1004', message: `functions ${twin} and ${name} both serve route '${route}'`, location: at(`${path}.route`), hint: 'give one of them another route' });
    routes.set(route, name);
    const expectedNs: number = f['expected-execution'];
    const deadlineNs: number = f['relative-deadline'];
    if (expectedNs > deadlineNs) {
      problems.push({ code: 'B1004', message: `function ${name}: expected-execution (${expectedNs / 1000} us) is longer than its relative-deadline (${deadlineNs / 1000} us): no request could meet it`, location: at(`${path}.expected-execution`) });
    }
    if (f.budget !== undefined && f.budget < expectedNs) {
      problems.push({ code: 'B1004', message: `function ${name}: budget (${f.budget / 1000} us) is shorter than its expected-execution (${expectedNs / 1000} us): it would stop requests that run as expected`, location: at(`${path}.budget`) });
    }
    const maxRequest: number = f['max-request'] ?? 256;
    const maxResponse: number = f['max-response'] ?? 256;
    for (const [key, value] of [['max-request', maxRequest], ['max-response', maxResponse]] as const) {
      if (value < 1 || value > 4000) problems.push({ code: 'B1004', message: `function ${name}: ${key} is ${value} bytes; it must be 1 .. 4000 (a frame carries at most 4,096 bytes)`, location: at(`${path}.${key}`) });
    }
    const stack: number = f.stack ?? maxRequest + maxResponse + 2048;
    if (stack < maxRequest + maxResponse + 256) {
      problems.push({ code: 'B1004', message: `function ${name}: its stack (${stack} bytes) cannot hold a request (${maxRequest}), a response (${maxResponse}) and 256 bytes for its own frames`, location: at(`${path}.stack`), hint: `give it stack = ${maxRequest + maxResponse + 2048}, or leave the key out` });
    }
    const fn: RecipeFunction = {
      route,
      expectedNs,
      deadlineNs,
      instance: f.instance ?? 'fresh',
      maxRequest,
      maxResponse,
      location: where,
      keyLocations: keys(path, ['route', 'expected-execution', 'relative-deadline', 'budget', 'instance', 'max-request', 'max-response']),
    };
    const exportAt = doc.keys.get(path) ?? { file: doc.file };
    parts.boxes.push({
      name,
      runtime: 'wasm',
      sources: f.sources.map(resolvePath),
      include: (f.include ?? []).map(resolvePath),
      defines: f.defines ?? [],
      cflags: f.cflags ?? [],
      code: f.code,
      ram: f.ram,
      stack,
      ...(f['native-stack'] !== undefined ? { nativeStack: f['native-stack'] } : {}),
      heap: f.heap ?? 0,
      bounds: 'software',
      onFault: 'always-restart',
      restartLimit: 0,
      ...(f.budget !== undefined ? { budget: { nanoseconds: f.budget, location: at(`${path}.budget`) } } : {}),
      imports: importsOf(f.imports, `${path}.imports`),
      exports: new Map([[handlerName, { text: handlerSignatureText, location: exportAt, signature: handler }]]),
      interrupts: [],
      werror: f.werror ?? false,
      libc: [],
      location: where,
      keyLocations: new Map((['code', 'ram', 'stack', 'heap'] as const).flatMap((k) => (doc.values.has(`${path}.${k}`) ? [[k, doc.values.get(`${path}.${k}`)!] as const] : []))),
      function: fn,
    });
    parts.hostImports.set(`${name}.${handlerName}`, { text: handlerSignatureText, location: exportAt, signature: handler });
  }
  return parts;
}
