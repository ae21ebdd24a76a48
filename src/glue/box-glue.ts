// The view models of the box glue templates: the host's header and one per box (C prototypes),
// the host-side glue (box records, checked links, gates) and each box's own side (entries,
// import stubs, gate instructions), which is compiled into the box and runs unprivileged.
import type { Board } from '../config/board.js';
import type { RecipeBox } from '../config/recipe.js';
import { formatDuration } from '../config/schema.js';
import { formatSignature, pointerRanges, isFallible, primitiveInfo } from '../config/signature.js';
import type { PrimitiveType, ResultType, Signature } from '../config/signature.js';
import { exportSymbolName } from '../lower/module.js';
import type { Link } from '../plan/links.js';
import { HOST } from '../plan/links.js';
import { mpuRegionAlignment } from '../plan/mpu-regions.js';
import { regionRule } from '../plan/plan.js';
import type { FuncType } from '../wasm/types.js';
import { cParamType, cResultType, packParams, paramNames, returnPacked, returnUnpacked, unpackParams, wordLayout } from './abi.js';
import type { Domain } from './abi.js';
import { banner, hex32, renderTemplate } from './render.js';

/** What the glue needs of a Wasm box's compiled module. */
export interface WasmBoxFacts {
  /** Bytes of the linear memory's MPU region. */
  memorySize: number;
  /** Symbol of the shadow stack pointer global, when the module has one. */
  stackPointer?: string;
  /** Symbol of the module's `_initialize` export (a WASI reactor's constructors), if any. */
  initialize?: string;
  /** WASI functions it imports, with their Wasm types. */
  wasi: readonly { name: string; type: FuncType }[];
}

export interface GlueBox {
  box: RecipeBox;
  /** Symbol prefix of everything of this box. */
  prefix: string;
  ramSize: number;
  /** Its CPU budget in core clock ticks (src/plan/budgets.ts), when it has one. */
  budgetTicks?: number;
  wasm?: WasmBoxFacts;
}

/** A box's export that handles a device interrupt the box owns (src/plan/interrupts.ts). */
export interface InterruptHandlerCall {
  box: string;
  handler: string;
  fallible: boolean;
}

export interface GlueInput {
  board: Board;
  boxes: readonly GlueBox[];
  links: readonly Link[];
  /** Exports the deferred-interrupt runner calls: each gets an entry even if nothing imports it. */
  interruptHandlers?: readonly InterruptHandlerCall[];
  /** Every file the glue derives from, named in the banners. */
  inputs: readonly string[];
}

export interface GlueFiles {
  /** The host's side (glue/boxes.c). */
  hostGlue: string;
  /** Each box's own side (glue/box_<name>.c), by box name. */
  boxGlue: ReadonlyMap<string, string>;
}

/** The headers depend on the recipe alone, so boxes can be compiled before anything is measured. */
export interface HeaderInput {
  boxes: readonly RecipeBox[];
  links: readonly Link[];
  inputs: readonly string[];
}

export interface HeaderFiles {
  /** glue/include/bento_host.h */
  host: string;
  /** glue/include/bento_<name>.h, by box name. */
  boxes: ReadonlyMap<string, string>;
}

export const boxPrefix = (name: string) => `box_${name}`;
/** What a native box's objects call an export or an import after bento renames them (see build). */
export const nativeExportSymbol = (box: string, name: string) => `${boxPrefix(box)}__${name}`;
export const nativeImportSymbol = (box: string, name: string) => `${boxPrefix(box)}__import_${name}`;
export const wasmImportSymbol = (box: string, name: string) => `${boxPrefix(box)}_import_${name}`;
export const wasiGateSymbol = (box: string, name: string) => `${boxPrefix(box)}_wasi_${name}`;
export const entrySymbol = (box: string, name: string) => `${boxPrefix(box)}_entry_${name}`;
/** The host function that runs a box's interrupt handler export (runtime-c/irq/deferred.c calls it). */
export const interruptCallSymbol = (box: string, handler: string) => `bento_irq_call_${box}_${handler}`;

/** The functions of a box the host side calls: its linked exports and its interrupt handlers. */
function calledExports(input: GlueInput, box: string): { name: string; signature: Signature }[] {
  const linked = input.links.filter((l) => l.exporter === box).map((l) => ({ name: l.name, signature: l.signature }));
  const handlers = (input.interruptHandlers ?? []).filter((h) => h.box === box).map((h) => ({ name: h.handler, signature: boxOf(input, box).exports.get(h.handler)!.signature }));
  return [...new Map([...linked, ...handlers].map((e) => [e.name, e])).values()];
}

const boxOf = (input: GlueInput, name: string) => input.boxes.find((g) => g.box.name === name)!.box;

const policyC = { restart: 'BENTO_BOX_RESTART', hold: 'BENTO_BOX_HOLD', panic: 'BENTO_BOX_PANIC' } as const;
const wasmC: Record<string, string> = { i32: 'int32_t', i64: 'int64_t', f32: 'float', f64: 'double' };

function prototype(sig: Signature, name: string, domain: Domain, first?: string): string {
  const names = paramNames(sig);
  const params = sig.params.map((p, i) => `${cParamType(p.type, domain)}${cParamType(p.type, domain).endsWith('*') ? '' : ' '}${names[i]}`);
  if (first) params.unshift(first);
  return `${cResultType(sig.result, domain)} ${name}(${params.length > 0 ? params.join(', ') : 'void'})`;
}

function rangesView(sig: Signature) {
  const layout = wordLayout(sig);
  return pointerRanges(sig).map((r) => ({
    word: layout[r.param]!,
    writable: r.access === 'mut' ? 1 : 0,
    nullable: r.nullable ? 1 : 0,
    lengthWord: r.length.kind === 'param' ? layout[r.length.index]! : 'BENTO_LENGTH_CONSTANT',
    lengthSigned: r.length.kind === 'param' && r.length.type.startsWith('i') ? 1 : 0,
    lengthBits: r.length.kind === 'param' ? primitiveInfo(r.length.type).bytes * 8 : 32,
    elementSize: r.elementSize,
    length: r.length.kind === 'const' ? r.length.n : 0,
  }));
}

/** How bento_link_call cuts the result words to the declared type (enum bento_result_kind). */
function resultKind(result: ResultType): string {
  if (result === 'void' || result === 'noreturn') return 'BENTO_RESULT_NONE';
  const narrow: Partial<Record<PrimitiveType, string>> = { bool: 'BOOL', i8: 'I8', u8: 'U8', i16: 'I16', u16: 'U16' };
  return `BENTO_RESULT_${narrow[result] ?? (primitiveInfo(result).bytes === 8 ? 'W64' : 'W32')}`;
}

/** A link, as the host-side glue needs it. */
function linkView(link: Link, boxes: ReadonlyMap<string, GlueBox>) {
  const id = `${link.importer}_${link.name}`;
  const callee = link.exporter === HOST ? undefined : boxes.get(link.exporter)!;
  const names = paramNames(link.signature);
  return {
    id,
    name: link.name,
    description: `${link.importer === HOST ? 'the host' : `box ${link.importer}`} -> ${link.exporter === HOST ? 'the host' : `box ${link.exporter}`}: ${link.name} ${formatSignature(link.signature)}`,
    caller: link.importer === HOST ? 'NULL' : `&bento_box_${link.importer}`,
    callerSpace: link.importer === HOST ? 'NULL' : `&space_${link.importer}`,
    callee: callee ? `&bento_box_${callee.box.name}` : 'NULL',
    calleeSpace: callee ? `&space_${callee.box.name}` : 'NULL',
    entry: callee ? entrySymbol(callee.box.name, link.name) : '',
    entryCast: callee ? `(void (*)(void))${entrySymbol(callee.box.name, link.name)}` : 'NULL',
    host: callee ? 'NULL' : `adapter_${link.name}`,
    ranges: rangesView(link.signature),
    fallible: isFallible(link.signature) ? 1 : 0,
    resultKind: resultKind(link.signature.result),
    noreturn: link.signature.result === 'noreturn' ? 1 : 0,
    fromHost: link.importer === HOST,
    // The host's typed stub for a host import.
    stub: prototype(link.signature, link.name, 'native'),
    pack: packParams(link.signature, names, 'native'),
    unpackResult: returnUnpacked(link.signature.result, 'native'),
  };
}

function hostHeaderView(input: HeaderInput, hostImports: readonly Link[], hostExports: readonly Link[]) {
  return {
    banner: banner(input.inputs),
    boxes: input.boxes.map((b) => b.name),
    imports: hostImports.map((l) => ({ text: formatSignature(l.signature), name: l.name, proto: prototype(l.signature, l.name, 'native') })),
    exports: hostExports.map((l) => ({ text: formatSignature(l.signature), name: l.name, proto: prototype(l.signature, l.name, 'native') })),
  };
}

function boxHeaderView(input: HeaderInput, box: RecipeBox) {
  const fn = (name: string, sig: Signature) => ({ name, text: formatSignature(sig), proto: prototype(sig, name, 'native') });
  return {
    banner: banner(input.inputs),
    name: box.name,
    wasm: box.runtime === 'wasm',
    imports: [...box.imports].map(([name, s]) => fn(name, s.signature)),
    exports: [...box.exports].map(([name, s]) => fn(name, s.signature)),
  };
}

/** The gates of a box: first its linked imports, then its WASI functions. */
function gatesOf(g: GlueBox, links: readonly Link[]) {
  const linked = links.filter((l) => l.importer === g.box.name);
  return { linked, wasi: g.wasm?.wasi ?? [] };
}

function wasiView(g: GlueBox) {
  return (g.wasm?.wasi ?? []).map((w) => {
    const params = w.type.params.map((p, i) => ({ type: wasmC[p]!, name: `a${i}` }));
    return {
      name: w.name,
      result: w.type.results.length > 0 ? wasmC[w.type.results[0]!]! : 'void',
      returns: w.type.results.length > 0,
      exit: w.name === 'proc_exit',
      params: params.map((p) => `${p.type} ${p.name}`).join(', '),
      args: params.map((p) => p.name).join(', '),
      gate: wasiGateSymbol(g.box.name, w.name),
    };
  });
}

function hostGlueView(input: GlueInput, boxes: ReadonlyMap<string, GlueBox>) {
  const hostExports = [...new Map(input.links.filter((l) => l.exporter === HOST).map((l) => [l.name, l])).values()];
  return {
    banner: banner(input.inputs),
    boxes: input.boxes.map((g) => {
      const { linked, wasi } = gatesOf(g, input.links);
      return {
        name: g.box.name,
        prefix: g.prefix,
        wasm: g.wasm
          ? {
              memorySize: hex32(g.wasm.memorySize),
              memoryAlign: hex32(mpuRegionAlignment(g.wasm.memorySize, regionRule(input.board))),
              stackPointer: g.wasm.stackPointer ?? '',
              initialize: g.wasm.initialize ?? '',
            }
          : undefined,
        ramSize: hex32(g.ramSize),
        regionCount: g.wasm ? 2 : 1,
        policy: policyC[g.box.onFault],
        restartLimit: g.box.restartLimit,
        budget: g.box.budget && g.budgetTicks !== undefined ? { ticks: g.budgetTicks, text: formatDuration(g.box.budget.nanoseconds) } : undefined,
        gates: [...linked.map((l) => `gate_${l.importer}_${l.name}`), ...wasi.map((w) => `wasi_${g.box.name}_${w.name}`)],
        wasi: wasiView(g),
        entries: calledExports(input, g.box.name).map((e) => entrySymbol(g.box.name, e.name)),
      };
    }),
    adapters: hostExports.map((l) => ({
      name: l.name,
      call: returnPacked(l.signature.result, `${l.name}(${unpackParams(l.signature, 'native').join(', ')})`, 'native'),
    })),
    links: input.links.map((l) => linkView(l, boxes)),
    interruptCalls: (input.interruptHandlers ?? []).map((h) => ({
      id: `irq_${h.box}_${h.handler}`,
      box: h.box,
      handler: h.handler,
      entryCast: `(void (*)(void))${entrySymbol(h.box, h.handler)}`,
      fn: interruptCallSymbol(h.box, h.handler),
      fallible: h.fallible,
    })),
  };
}

function boxGlueView(input: GlueInput, g: GlueBox) {
  const domain: Domain = g.wasm ? 'wasm' : 'native';
  const { linked, wasi } = gatesOf(g, input.links);
  const uniqueExports = calledExports(input, g.box.name);
  return {
    banner: banner(input.inputs),
    name: g.box.name,
    wasm: g.wasm !== undefined,
    prefix: g.prefix,
    gates: [...linked.map((l) => l.name), ...wasi.map((w) => `wasi ${w.name}`)].map((what, index) => ({ index, what })),
    imports: linked.map((l, index) => {
      const names = paramNames(l.signature);
      const symbol = g.wasm ? wasmImportSymbol(g.box.name, l.name) : nativeImportSymbol(g.box.name, l.name);
      return {
        name: l.name,
        index,
        proto: prototype(l.signature, symbol, domain, g.wasm ? 'void *instance' : undefined),
        pack: packParams(l.signature, names, domain),
        unpackResult: returnUnpacked(l.signature.result, domain),
        unused: g.wasm ? '(void)instance;' : '',
      };
    }),
    exports: uniqueExports.map((l) => {
      const target = g.wasm ? `${g.prefix}_export_${exportSymbolName(l.name)}` : nativeExportSymbol(g.box.name, l.name);
      return {
        name: l.name,
        entry: entrySymbol(g.box.name, l.name),
        declare: `${prototype(l.signature, target, domain)};`,
        call: returnPacked(l.signature.result, `${target}(${unpackParams(l.signature, domain).join(', ')})`, domain),
      };
    }),
    wasi: wasiView(g).map((w, i) => ({ ...w, index: linked.length + i })),
  };
}

/** Renders the C headers: the host's and one per box, with their imports and exports. */
export function renderBoxHeaders(input: HeaderInput): HeaderFiles {
  const hostImports = input.links.filter((l) => l.importer === HOST);
  const hostExports = [...new Map(input.links.filter((l) => l.exporter === HOST).map((l) => [l.name, l])).values()];
  return {
    host: renderTemplate('box-host-header.h.hbs', hostHeaderView(input, hostImports, hostExports)),
    boxes: new Map(input.boxes.map((b) => [b.name, renderTemplate('box-header.h.hbs', boxHeaderView(input, b))])),
  };
}

/** Renders the glue C files of a recipe's image. */
export function renderBoxGlue(input: GlueInput): GlueFiles {
  const boxes = new Map(input.boxes.map((g) => [g.box.name, g]));
  return {
    hostGlue: renderTemplate('box-host-glue.c.hbs', hostGlueView(input, boxes)),
    boxGlue: new Map(input.boxes.map((g) => [g.box.name, renderTemplate('box-side-glue.c.hbs', boxGlueView(input, g))])),
  };
}
