// The view models of the box glue templates: the host's header and one per box (C prototypes),
// the host-side glue (box records, checked links, gates) and each box's own side (entries,
// import stubs, gate instructions), which is compiled into the box and runs unprivileged.
import type { Board } from '../config/board.js';
import type { RecipeBox } from '../config/recipe.js';
import { formatDuration } from '../config/schema.js';
import { formatSignature, pointerRanges, isFallible, primitiveInfo, REGISTER_WORDS } from '../config/signature.js';
import type { PrimitiveType, ResultType, Signature, TypeTable } from '../config/signature.js';
import { cField } from '../config/types.js';
import { exportSymbolName } from '../lower/module.js';
import type { CallbackType, Link, PartyName } from '../plan/links.js';
import { HOST, mentionedTypes } from '../plan/links.js';
import { mpuRegionAlignment } from '../plan/mpu-regions.js';
import { boxEntry } from '../plan/entry.js';
import type { BoxEntry } from '../plan/entry.js';
import { regionRule } from '../plan/plan.js';
import type { FuncType } from '../wasm/types.js';
import { cParamType, cResultType, packParams, paramNames, returnPacked, returnUnpacked, unpackParams, wordCount, wordLayout } from './abi.js';
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
  /** A box whose code checks its stack: bytes above its stack's bottom where the check traps (its `<prefix>_stack_limit`). */
  stackLimit?: number;
  /** How it is entered (src/plan/entry.ts, with what the build found of its stack); default: boxEntry(box). */
  entry?: BoxEntry;
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
  /** The recipe's callback types, in token order (src/plan/links.ts). */
  callbacks: readonly CallbackType[];
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
  types: TypeTable;
  callbacks: readonly CallbackType[];
  inputs: readonly string[];
}

export interface HeaderFiles {
  /** glue/include/bento_host.h */
  host: string;
  /** glue/include/bento_types.h: the recipe's structs, handles, callback types and tokens. */
  types: string;
  /** glue/include/bento_<name>.h, by box definition (a box with instances has one for all). */
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
  const linked = input.links.filter((l) => l.exporter === box).map((l) => ({ name: l.exportName, signature: l.signature }));
  const handlers = (input.interruptHandlers ?? []).filter((h) => h.box === box).map((h) => ({ name: h.handler, signature: boxOf(input, box).exports.get(h.handler)!.signature }));
  return [...new Map([...linked, ...handlers].map((e) => [e.name, e])).values()];
}

const boxOf = (input: GlueInput, name: string) => input.boxes.find((g) => g.box.name === name)!.box;

const policyC = { restart: 'BENTO_BOX_RESTART', hold: 'BENTO_BOX_HOLD', panic: 'BENTO_BOX_PANIC', 'always-restart': 'BENTO_BOX_ALWAYS_RESTART' } as const;
const wasmC: Record<string, string> = { i32: 'int32_t', i64: 'int64_t', f32: 'float', f64: 'double' };

function prototype(sig: Signature, name: string, domain: Domain, first: readonly string[] = []): string {
  const names = paramNames(sig);
  const params = sig.params.map((p, i) => `${cParamType(p.type, domain)}${cParamType(p.type, domain).endsWith('*') ? '' : ' '}${names[i]}`);
  params.unshift(...first);
  return `${cResultType(sig.result, domain)} ${name}(${params.length > 0 ? params.join(', ') : 'void'})`;
}

/**
 * The functions one party imports, as its C sees them: one link, or several behind a selector
 * (an instance number, a callback token) that the caller passes first.
 */
interface CallGroup {
  importer: PartyName;
  name: string;
  signature: Signature;
  selector?: { kind: 'instance' | 'callback'; count: number; type?: string; typeId?: number };
  /** By selector index (undefined where nothing is reachable); one link without a selector. */
  links: readonly (Link | undefined)[];
  /** Argument words the callee takes. */
  words: number;
  /** Words the caller passes: the selector first, if any. */
  blockWords: number;
  /** Whether the caller passes its words as a block (more than fit in r0-r3, or a selector). */
  block: boolean;
}

export function callGroups(links: readonly Link[], importer?: PartyName): CallGroup[] {
  const groups = new Map<string, CallGroup>();
  for (const l of links) {
    if (importer !== undefined && l.importer !== importer) continue;
    const key = `${l.importer}\0${l.name}`;
    let g = groups.get(key);
    if (!g) {
      const words = wordCount(l.signature);
      const selector = l.selector ? { kind: l.selector.kind, count: l.selector.count, ...(l.selector.type ? { type: l.selector.type, typeId: l.selector.typeId! } : {}) } : undefined;
      g = { importer: l.importer, name: l.name, signature: l.signature, selector, links: [], words, blockWords: words + (selector ? 1 : 0), block: selector !== undefined || words > REGISTER_WORDS };
      if (selector) (g.links as (Link | undefined)[]).length = selector.count;
      groups.set(key, g);
    }
    (g.links as (Link | undefined)[])[l.selector ? l.selector.index : 0] = l;
  }
  return [...groups.values()];
}

/** The selector parameter of a group's C prototype, named clear of the signature's own. */
function selectorParam(g: CallGroup, domain: Domain, reserved: readonly string[] = []): { decl: string; name: string } | undefined {
  if (!g.selector) return undefined;
  const taken = new Set([...paramNames(g.signature), ...reserved]);
  let name = g.selector.kind === 'instance' ? 'instance' : 'callback';
  while (taken.has(name)) name += '_';
  const type = domain === 'wasm' ? 'int32_t' : g.selector.kind === 'instance' ? 'uint32_t' : g.selector.type!;
  return { decl: `${type} ${name}`, name };
}

/** Bytes the import stub of a box puts on its native stack for its block of words. */
export function importStubBytes(g: CallGroup): number {
  return g.block ? Math.ceil((g.blockWords * 4) / 8) * 8 + 16 : 0;
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

/** The callback arguments of a signature: the word of each, its type's number and its function count. */
function callbacksView(sig: Signature, callbacks: readonly CallbackType[]) {
  const layout = wordLayout(sig);
  return sig.params.flatMap((p, i) => {
    if (p.type.kind !== 'callback') return [];
    const name = p.type.name;
    const t = callbacks.find((c) => c.name === name)!;
    return [{ word: layout[i]!, type: t.id, count: t.targets.length }];
  });
}

/** How bento_link_call cuts the result words to the declared type (enum bento_result_kind). */
function resultKind(result: ResultType): string {
  if (result === 'void' || result === 'noreturn') return 'BENTO_RESULT_NONE';
  const narrow: Partial<Record<PrimitiveType, string>> = { bool: 'BOOL', i8: 'I8', u8: 'U8', i16: 'I16', u16: 'U16' };
  return `BENTO_RESULT_${narrow[result] ?? (primitiveInfo(result).bytes === 8 ? 'W64' : 'W32')}`;
}

const linkId = (l: Link) => `${l.importer}_${l.name}${l.selector ? `_${l.selector.index}` : ''}`;

/** A link, as the host-side glue needs it. */
function linkView(link: Link, boxes: ReadonlyMap<string, GlueBox>, input: GlueInput) {
  const callee = link.exporter === HOST ? undefined : boxes.get(link.exporter)!;
  const grants = input.callbacks.length > 0;
  const callbacks = callbacksView(link.signature, input.callbacks);
  return {
    id: linkId(link),
    name: link.name,
    description: `${link.importer === HOST ? 'the host' : `box ${link.importer}`} -> ${link.exporter === HOST ? 'the host' : `box ${link.exporter}`}: ${link.exportName} ${formatSignature(link.signature)}`,
    caller: link.importer === HOST ? 'NULL' : `&bento_box_${link.importer}`,
    callerSpace: link.importer === HOST ? 'NULL' : `&space_${link.importer}`,
    callee: callee ? `&bento_box_${callee.box.name}` : 'NULL',
    calleeSpace: callee ? `&space_${callee.box.name}` : 'NULL',
    entryCast: callee ? `(void (*)(void))${entrySymbol(callee.box.name, link.exportName)}` : 'NULL',
    host: callee ? 'NULL' : `adapter_${link.exportName}`,
    ranges: rangesView(link.signature),
    callbacks,
    callerGrants: grants && link.importer !== HOST ? `grants_${link.importer}` : 'NULL',
    calleeGrants: grants && callee ? `grants_${callee.box.name}` : 'NULL',
    fallible: isFallible(link.signature) ? 1 : 0,
    resultKind: resultKind(link.signature.result),
    noreturn: link.signature.result === 'noreturn' ? 1 : 0,
    words: wordCount(link.signature),
  };
}

/** A group of the host's imports: its typed stub. */
function hostStubView(g: CallGroup, input: GlueInput, boxes: ReadonlyMap<string, GlueBox>) {
  const names = paramNames(g.signature);
  const sel = selectorParam(g, 'native');
  const direct = straightCall(g, boxes);
  const size = direct ? REGISTER_WORDS : Math.max(g.blockWords, 1);
  return {
    proto: prototype(g.signature, g.name, 'native', sel ? [sel.decl] : []),
    direct,
    size,
    selector: sel ? `w[0] = (uint32_t)(uintptr_t)${sel.name};` : '',
    pack: packParams(g.signature, names, 'native', sel ? 1 : 0),
    call: sel ? `r = bento_link_dispatch(&select_${g.importer}_${g.name}, w);` : `bento_link_call(&link_${linkId(g.links[0]!)}, w, &r);`,
    unpackResult: returnUnpacked(g.signature.result, 'native'),
    select: selectView(g, input),
  };
}

const entryOf = (g: GlueBox): BoxEntry => g.entry ?? boxEntry(g.box);

const floatParam = (t: Signature['params'][number]['type']) => t.kind === 'primitive' && (t.primitive === 'f32' || t.primitive === 'f64');

/**
 * A call of the host's that takes the straight path without bento_link_call: one link into a box
 * entered straight, without a budget, of at most four words, with nothing to check, copy or
 * grant (no pointers, no callbacks) and a result that may simply come back. Its entry is the
 * export itself when every word travels as AAPCS passes it (no float argument or result), else
 * the box's entry stub. Every other call into such a box goes straight too, through the checked
 * call (bento_link_call, bento_box_run).
 */
function straightCall(g: CallGroup, boxes: ReadonlyMap<string, GlueBox>) {
  if (g.importer !== HOST || g.selector || g.block) return undefined;
  return straightTarget(g.links[0], boxes);
}

/** A link into a box entered straight, without a budget, that needs none of bento_link_call's checks. */
function straightTarget(link: Link | undefined, boxes: ReadonlyMap<string, GlueBox>) {
  if (!link || link.exporter === HOST || !plainLink(link)) return undefined;
  const callee = boxes.get(link.exporter)!;
  if (entryOf(callee) !== 'direct' || callee.budgetTicks !== undefined) return undefined;
  const sig = link.signature;
  const words = sig.params.every((p) => !floatParam(p.type)) && sig.result !== 'f32' && sig.result !== 'f64';
  const box = callee.box.name;
  return {
    id: linkId(link),
    box,
    entry: words ? `${callee.prefix}_export_${exportSymbolName(link.exportName)}` : entrySymbol(box, link.exportName),
    declare: words,
    oneWord: wordCount(sig) <= 1,
  };
}

/** At most four words, nothing to check, copy or grant (no pointers, no callbacks), and a result that may simply come back. */
function plainLink(link: Link): boolean {
  const sig = link.signature;
  return !link.selector && wordCount(sig) <= REGISTER_WORDS && sig.result !== 'noreturn' && pointerRanges(sig).length === 0 && !sig.params.some((p) => p.type.kind === 'callback');
}

function selectView(g: CallGroup, input: GlueInput) {
  if (!g.selector) return undefined;
  return {
    id: `${g.importer}_${g.name}`,
    name: g.name,
    // Array.from, not map: a hole (a box's own callback) must become NULL, not vanish.
    links: Array.from(g.links, (l) => (l ? `&link_${linkId(l)}` : 'NULL')),
    count: g.selector.count,
    callback: g.selector.kind === 'callback' ? 1 : 0,
    type: g.selector.typeId ?? 0,
    fallible: isFallible(g.signature) ? 1 : 0,
    caller: g.importer === HOST ? 'NULL' : `&bento_box_${g.importer}`,
    callerGrants: input.callbacks.length > 0 && g.importer !== HOST ? `grants_${g.importer}` : 'NULL',
  };
}

/** A group of a box's imports: the host-side function its gate runs. */
function boxGateView(g: CallGroup, input: GlueInput, boxes: ReadonlyMap<string, GlueBox>) {
  const link = g.selector || g.block ? undefined : g.links[0];
  // A host function with nothing to check: called as bento_link_call would, without its generic work.
  const plain = link && link.exporter === HOST && plainLink(link) ? linkId(link) : undefined;
  return {
    fn: `gate_${g.importer}_${g.name}`,
    plain,
    straight: straightTarget(link, boxes),
    box: g.importer,
    block: g.block,
    blockWords: g.blockWords,
    call: g.selector ? `return bento_link_dispatch(&select_${g.importer}_${g.name}, w);` : `uint64_t r;\n    bento_link_call(&link_${linkId(g.links[0]!)}, w, &r);\n    return r;`,
    select: selectView(g, input),
  };
}

function typesHeaderView(input: HeaderInput) {
  const structs = [...input.types.values()].flatMap((t) => (t.kind === 'struct' ? [t] : []));
  const handles = [...input.types.values()].flatMap((t) => (t.kind === 'handle' ? [t] : []));
  const definitions = new Map<string, RecipeBox[]>();
  for (const b of input.boxes) if (b.instance) definitions.set(b.instance.of, [...(definitions.get(b.instance.of) ?? []), b]);
  const tokens = input.callbacks.flatMap((c) =>
    c.targets.map((t, i) => {
      const unique = c.targets.filter((o) => o.name === t.name).length === 1 && input.callbacks.every((o) => o === c || o.targets.every((x) => x.name !== t.name));
      return { type: c.name, party: t.party, name: t.name, token: `0x${(((c.id + 1) << 8) | (i + 1)).toString(16).padStart(4, '0')}u`, unique };
    }),
  );
  return {
    banner: banner(input.inputs),
    structs: structs.map((s) => ({
      name: s.name,
      fields: s.fields.map((f) => ({ decl: cField(f), name: f.name, offset: f.offset })),
      bytes: s.bytes,
      align: s.align,
    })),
    handles: handles.map((h) => ({ name: h.name, capacity: h.capacity })),
    callbacks: input.callbacks.map((c) => ({ name: c.name, text: formatSignature(c.signature) })),
    tokens,
    definitions: [...definitions].map(([of, boxes]) => ({
      macro: of.toUpperCase(),
      count: boxes.length,
      named: boxes.filter((b) => !/^[0-9]+$/.test(b.instance!.label)).map((b) => ({ macro: `${of}_${b.instance!.label}`.toUpperCase(), index: b.instance!.index })),
    })),
  };
}

/** The handle types a party hands out: those its exports mention. Its header gets their tables. */
function ownHandles(types: TypeTable, exports: Iterable<{ signature: Signature }>) {
  const names = new Set([...exports].flatMap((e) => mentionedTypes(e.signature)));
  return [...types.values()].flatMap((t) => (t.kind === 'handle' && names.has(t.name) ? [{ name: t.name, capacity: t.capacity }] : []));
}

function hostHeaderView(input: HeaderInput) {
  const hostExports = [...new Map(input.links.filter((l) => l.exporter === HOST).map((l) => [l.exportName, l])).values()];
  return {
    banner: banner(input.inputs),
    boxes: input.boxes.map((b) => b.name),
    imports: callGroups(input.links, HOST).map((g) => {
      const sel = selectorParam(g, 'native');
      return { text: describeGroup(g), name: g.name, proto: prototype(g.signature, g.name, 'native', sel ? [sel.decl] : []) };
    }),
    exports: hostExports.map((l) => ({ text: formatSignature(l.signature), name: l.exportName, proto: prototype(l.signature, l.exportName, 'native') })),
    handles: ownHandles(input.types, hostExports),
  };
}

function describeGroup(g: CallGroup): string {
  const text = formatSignature(g.signature);
  if (g.selector?.kind === 'instance') return `${text}, on instance 0 .. ${g.selector.count - 1} (first argument)`;
  if (g.selector?.kind === 'callback') return `calls a ${g.selector.type} callback: ${text}`;
  return text;
}

function boxHeaderView(input: HeaderInput, box: RecipeBox) {
  const groups = callGroups(input.links, box.name);
  return {
    banner: banner(input.inputs),
    name: box.instance ? box.instance.of : box.name,
    instances: box.instance ? `${box.instance.count} instances (${input.boxes.filter((b) => b.instance?.of === box.instance!.of).map((b) => b.name).join(', ')}), compiled once from these sources` : '',
    wasm: box.runtime === 'wasm',
    imports: groups.map((g) => {
      const sel = selectorParam(g, 'native');
      return { name: g.name, text: describeGroup(g), proto: prototype(g.signature, g.name, 'native', sel ? [sel.decl] : []) };
    }),
    exports: [...box.exports].map(([name, s]) => ({ name, text: s.callback ?? formatSignature(s.signature), proto: prototype(s.signature, name, 'native') })),
    handles: ownHandles(input.types, box.exports.values()),
  };
}

/** The gates of a box: first its imports (one per C function), then its WASI functions. */
function gatesOf(g: GlueBox, links: readonly Link[]) {
  return { groups: callGroups(links, g.box.name), wasi: g.wasm?.wasi ?? [] };
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

/** Callbacks a box holds from the start: its own callback functions and the ones it imports. */
function initialGrants(box: string, input: GlueInput): string[] {
  const own = boxOf(input, box);
  return input.callbacks.map((c) => {
    let bits = 0;
    c.targets.forEach((t, i) => {
      const imported = input.links.some((l) => l.importer === box && !l.selector && l.exporter === t.party && l.exportName === t.name);
      if ((t.party === box && own.exports.has(t.name)) || imported) bits |= 1 << i;
    });
    return `0x${(bits >>> 0).toString(16)}u`;
  });
}

function hostGlueView(input: GlueInput, boxes: ReadonlyMap<string, GlueBox>) {
  const hostExports = [...new Map(input.links.filter((l) => l.exporter === HOST).map((l) => [l.exportName, l])).values()];
  const groups = callGroups(input.links);
  return {
    banner: banner(input.inputs),
    callbackTypes: input.callbacks.length,
    boxes: input.boxes.map((g) => {
      const { groups: imports, wasi } = gatesOf(g, input.links);
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
        direct: entryOf(g) === 'direct',
        stackLimit: g.stackLimit ?? false,
        regionCount: g.wasm ? 2 : 1,
        policy: policyC[g.box.onFault],
        restartLimit: g.box.restartLimit,
        budget: g.box.budget && g.budgetTicks !== undefined ? { ticks: g.budgetTicks, text: formatDuration(g.box.budget.nanoseconds) } : undefined,
        gates: [...imports.map((i) => `gate_${i.importer}_${i.name}`), ...wasi.map((w) => `wasi_${g.box.name}_${w.name}`)],
        wasi: wasiView(g),
        entries: calledExports(input, g.box.name).map((e) => entrySymbol(g.box.name, e.name)),
        grants: input.callbacks.length > 0 ? initialGrants(g.box.name, input) : undefined,
      };
    }),
    adapters: hostExports.map((l) => ({
      name: l.exportName,
      call: returnPacked(l.signature.result, `${l.exportName}(${unpackParams(l.signature, 'native').join(', ')})`, 'native'),
    })),
    links: input.links.map((l) => linkView(l, boxes, input)),
    selects: groups.flatMap((g) => (g.selector ? [selectView(g, input)!] : [])),
    hostStubs: groups.filter((g) => g.importer === HOST).map((g) => hostStubView(g, input, boxes)),
    boxGates: groups.filter((g) => g.importer !== HOST).map((g) => boxGateView(g, input, boxes)),
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
  const { groups, wasi } = gatesOf(g, input.links);
  const uniqueExports = calledExports(input, g.box.name);
  return {
    banner: banner(input.inputs),
    name: g.box.name,
    wasm: g.wasm !== undefined,
    direct: entryOf(g) === 'direct',
    prefix: g.prefix,
    gates: [...groups.map((i) => i.name), ...wasi.map((w) => `wasi ${w.name}`)].map((what, index) => ({ index, what })),
    imports: groups.map((i, index) => {
      const names = paramNames(i.signature);
      // A Wasm box's import stubs take the module's instance record first: keep the names apart.
      const sel = selectorParam(i, domain, g.wasm ? ['instance'] : []);
      const symbol = g.wasm ? wasmImportSymbol(g.box.name, i.name) : nativeImportSymbol(g.box.name, i.name);
      const first = [...(g.wasm ? ['void *instance'] : []), ...(sel ? [sel.decl] : [])];
      return {
        name: i.name,
        index,
        proto: prototype(i.signature, symbol, domain, first),
        block: i.block,
        size: Math.max(i.blockWords, REGISTER_WORDS),
        blockWords: i.blockWords,
        selector: sel ? `w[0] = (uint32_t)${sel.name};` : '',
        pack: packParams(i.signature, names, domain, sel ? 1 : 0),
        unpackResult: returnUnpacked(i.signature.result, domain),
        unused: g.wasm ? '(void)instance;' : '',
      };
    }),
    exports: uniqueExports.map((l) => {
      const target = g.wasm ? `${g.prefix}_export_${exportSymbolName(l.name)}` : nativeExportSymbol(g.box.name, l.name);
      return {
        name: l.name,
        entry: entrySymbol(g.box.name, l.name),
        block: wordCount(l.signature) > REGISTER_WORDS,
        declare: `${prototype(l.signature, target, domain)};`,
        call: returnPacked(l.signature.result, `${target}(${unpackParams(l.signature, domain).join(', ')})`, domain),
      };
    }),
    wasi: wasiView(g).map((w, i) => ({ ...w, index: groups.length + i })),
  };
}

/** Renders the C headers: the host's, the recipe's types, and one per box definition. */
export function renderBoxHeaders(input: HeaderInput): HeaderFiles {
  const boxes = new Map<string, string>();
  for (const b of input.boxes) {
    const name = b.instance ? b.instance.of : b.name;
    if (!boxes.has(name)) boxes.set(name, renderTemplate('box-header.h.hbs', boxHeaderView(input, b)));
  }
  return {
    host: renderTemplate('box-host-header.h.hbs', hostHeaderView(input)),
    types: renderTemplate('bento-types.h.hbs', typesHeaderView(input)),
    boxes,
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
