import type { LocatedSignature, Recipe } from '../config/recipe.js';
import { formatSignature, sameSignature } from '../config/signature.js';
import type { ParamType, Signature } from '../config/signature.js';
import { BentoError } from '../diagnostics/error.js';
import type { Diagnostic } from '../diagnostics/error.js';
import { closest } from '../diagnostics/suggest.js';

/** Who is on one side of a link: the host, or a box by name. */
export type PartyName = string;
export const HOST: PartyName = 'host';

/**
 * Several links behind one function of the importer, chosen by a word the caller passes first:
 * the instance of a box (`volume_mount(1, ...)`), or a callback's token (`blockio_call(cb, ...)`).
 */
export interface Selector {
  kind: 'instance' | 'callback';
  /** This link's instance index, or its callback target's index. */
  index: number;
  /** Instances of the box, or targets of the callback type. */
  count: number;
  /** Callbacks: the type's name and number (its tokens carry the number). */
  type?: string;
  typeId?: number;
}

/** One import joined to the one export that provides it. */
export interface Link {
  /** The importer's name for it: its C function, and a Wasm box's import name (`mount`, `volume_mount`). */
  name: string;
  /** The exporter's name for it. */
  exportName: string;
  importer: PartyName;
  exporter: PartyName;
  signature: Signature;
  selector?: Selector;
}

/** A callback type and every function declared as one (`exports.f = "<type>"`), in token order. */
export interface CallbackType {
  name: string;
  id: number;
  signature: Signature;
  targets: readonly { party: PartyName; name: string }[];
}

const describe = (party: PartyName) => (party === HOST ? 'the host' : `box ${party}`);

interface Side {
  party: PartyName;
  functions: ReadonlyMap<string, LocatedSignature>;
}

function sides(recipe: Recipe, kind: 'imports' | 'exports'): Side[] {
  return [{ party: HOST, functions: recipe.host[kind] }, ...recipe.boxes.map((b) => ({ party: b.name, functions: b[kind] }))];
}

/** The C name of an import: `volume.mount` is `volume_mount`. */
export const importCName = (name: string) => name.replace('.', '_');

/** Every callback type of the recipe with its targets; a token is ((id + 1) << 8) | (index + 1). */
export function callbackTypes(recipe: Recipe): CallbackType[] {
  const types = [...recipe.types.values()].flatMap((t) => (t.kind === 'callback' ? [t] : [])).sort((a, b) => a.name.localeCompare(b.name));
  return types.map((t, id) => ({
    name: t.name,
    id,
    signature: t.signature,
    targets: sides(recipe, 'exports').flatMap((s) => [...s.functions].filter(([, sig]) => sig.callback === t.name).map(([name]) => ({ party: s.party, name }))),
  }));
}

/** Handles and callbacks a signature mentions, by type name. */
export function mentionedTypes(sig: Signature): string[] {
  return sig.params.flatMap((p) => named(p.type));
}
function named(t: ParamType): string[] {
  if (t.kind === 'handle' || t.kind === 'callback') return [t.name];
  if (t.kind === 'pointer' || t.kind === 'array') return [t.element.name];
  return [];
}

/**
 * Joins every import of the host and the boxes to the export that provides it, by name, and
 * checks both sides wrote the same signature. `f` is the one export named f outside boxes with
 * instances; `b.f` is box b's f, and for a box with instances one link per instance. Every
 * party that takes or gives a callback type can call it (`<type>_call`). Reports every problem at once.
 */
export function resolveLinks(recipe: Recipe): Link[] {
  const exportsOf = new Map<PartyName, ReadonlyMap<string, LocatedSignature>>(sides(recipe, 'exports').map((s) => [s.party, s.functions]));
  const instancesOf = new Map<string, string[]>();
  for (const b of recipe.boxes) if (b.instance) instancesOf.set(b.instance.of, [...(instancesOf.get(b.instance.of) ?? []), b.name]);
  const global = new Map<string, { party: PartyName; sig: LocatedSignature }[]>();
  for (const side of sides(recipe, 'exports')) {
    if (recipe.boxes.find((b) => b.name === side.party)?.instance) continue;
    for (const [name, sig] of side.functions) global.set(name, [...(global.get(name) ?? []), { party: side.party, sig }]);
  }
  const problems: Diagnostic[] = [];
  const links: Link[] = [];
  const join = (side: Side, name: string, imported: LocatedSignature, exporter: PartyName, exported: LocatedSignature, exportName: string, selector?: Selector): boolean => {
    if (!sameSignature(imported.signature, exported.signature)) {
      const at = exported.location;
      problems.push({
        code: 'B2005',
        message: `${describe(side.party)} imports '${name}' as ${formatSignature(imported.signature)}, but ${describe(exporter)} exports it as ${formatSignature(exported.signature)}`,
        location: imported.location,
        hint: `the export is at ${at.file}${at.line ? `:${at.line}:${at.column ?? 1}` : ''}`,
      });
      return false;
    }
    links.push({ name: importCName(name), exportName, importer: side.party, exporter, signature: exported.signature, ...(selector ? { selector } : {}) });
    return true;
  };

  for (const side of sides(recipe, 'imports')) {
    for (const [name, imported] of side.functions) {
      const dot = name.indexOf('.');
      if (dot > 0) {
        qualified(side, name, name.slice(0, dot), name.slice(dot + 1), imported);
        continue;
      }
      const candidates = (global.get(name) ?? []).filter((e) => e.party !== side.party);
      if (candidates.length === 0) {
        const instanced = [...instancesOf].find(([, boxes]) => boxes.some((b) => exportsOf.get(b)?.has(name)));
        const near = closest(name, global.keys());
        problems.push({
          code: 'B2003',
          message: `${describe(side.party)} imports '${name}', which neither the host nor any other box exports${instanced ? ' to everyone' : ''}`,
          location: imported.location,
          hint: instanced
            ? `box ${instanced[0]} has instances, so name one: imports."${instanced[0]}.${name}" (the instance comes first in the call)`
            : near
              ? `did you mean '${near}'?`
              : `add it to the exports of the box that provides it`,
        });
        continue;
      }
      if (candidates.length > 1) {
        problems.push({
          code: 'B2004',
          message: `${describe(side.party)} imports '${name}', which ${candidates.map((c) => describe(c.party)).join(' and ')} all export`,
          location: imported.location,
          hint: `export each function from one place only, or import it from one box: imports."${candidates[0]!.party}.${name}"`,
        });
        continue;
      }
      join(side, name, imported, candidates[0]!.party, candidates[0]!.sig, name);
    }
  }

  function qualified(side: Side, name: string, box: string, fn: string, imported: LocatedSignature): void {
    const instances = instancesOf.get(box);
    const targets = instances ?? (exportsOf.has(box) ? [box] : []);
    if (targets.length === 0) {
      const near = closest(box, [...exportsOf.keys(), ...instancesOf.keys()]);
      problems.push({ code: 'B2003', message: `${describe(side.party)} imports '${name}', but there is no box ${box}`, location: imported.location, hint: near ? `did you mean '${near}.${fn}'?` : 'the part before the dot names a box (or a box with instances)' });
      return;
    }
    if (targets.includes(side.party)) {
      problems.push({ code: 'B2003', message: `${describe(side.party)} imports '${name}' from itself`, location: imported.location, hint: 'a box calls its own functions directly' });
      return;
    }
    const exported = exportsOf.get(targets[0]!)!.get(fn);
    if (!exported) {
      const near = closest(fn, exportsOf.get(targets[0]!)!.keys());
      problems.push({ code: 'B2003', message: `${describe(side.party)} imports '${name}', but box ${box} exports no '${fn}'`, location: imported.location, hint: near ? `did you mean '${box}.${near}'?` : `add exports.${fn} to [box.${box}]` });
      return;
    }
    targets.forEach((target, index) => {
      join(side, name, imported, target, exportsOf.get(target)!.get(fn)!, fn, instances ? { kind: 'instance', index, count: targets.length } : undefined);
    });
  }

  // Callback invokers: the host may call every callback type; a box the ones its functions mention.
  for (const type of callbackTypes(recipe)) {
    for (const side of sides(recipe, 'imports')) {
      const mentions = [...side.functions.values(), ...exportsOf.get(side.party)!.values()].some((s) => mentionedTypes(s.signature).includes(type.name) || s.callback === type.name);
      if (side.party !== HOST && !mentions) continue;
      type.targets.forEach((t, index) => {
        // A box cannot be called back while it is itself on the call chain: its own targets stay empty.
        if (t.party === side.party && side.party !== HOST) return;
        links.push({ name: `${type.name}_call`, exportName: t.name, importer: side.party, exporter: t.party, signature: type.signature, selector: { kind: 'callback', index, count: type.targets.length, type: type.name, typeId: type.id } });
      });
    }
  }

  // One C name per function of each importer.
  for (const side of sides(recipe, 'imports')) {
    const seen = new Map<string, string>();
    for (const name of side.functions.keys()) {
      const c = importCName(name);
      const other = seen.get(c);
      if (other) problems.push({ code: 'B2004', message: `${describe(side.party)} imports '${other}' and '${name}', which are both '${c}' in C`, location: side.functions.get(name)!.location });
      seen.set(c, name);
      const type = recipe.types.get(c.replace(/_call$/, ''));
      if (c.endsWith('_call') && type?.kind === 'callback') problems.push({ code: 'B2004', message: `${describe(side.party)} imports '${name}', but ${c} is the C function that calls a '${type.name}' callback`, location: side.functions.get(name)!.location, hint: 'rename the function' });
    }
  }
  if (problems.length > 0) throw new BentoError(problems);
  return links;
}
