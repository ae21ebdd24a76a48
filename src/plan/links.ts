import type { LocatedSignature, Recipe } from '../config/recipe.js';
import { formatSignature, sameSignature } from '../config/signature.js';
import type { Signature } from '../config/signature.js';
import { BentoError } from '../diagnostics/error.js';
import type { Diagnostic } from '../diagnostics/error.js';
import { closest } from '../diagnostics/suggest.js';

/** Who is on one side of a link: the host, or a box by name. */
export type PartyName = string;
export const HOST: PartyName = 'host';

/** One import joined to the one export that provides it. */
export interface Link {
  name: string;
  importer: PartyName;
  exporter: PartyName;
  signature: Signature;
}

const describe = (party: PartyName) => (party === HOST ? 'the host' : `box ${party}`);

interface Side {
  party: PartyName;
  functions: ReadonlyMap<string, LocatedSignature>;
}

function sides(recipe: Recipe, kind: 'imports' | 'exports'): Side[] {
  return [{ party: HOST, functions: recipe.host[kind] }, ...recipe.boxes.map((b) => ({ party: b.name, functions: b[kind] }))];
}

/**
 * Joins every import of the host and the boxes to exactly one export of another party, by
 * name, and checks both sides wrote the same signature. Reports every problem at once.
 */
export function resolveLinks(recipe: Recipe): Link[] {
  const exporters = new Map<string, { party: PartyName; sig: LocatedSignature }[]>();
  for (const side of sides(recipe, 'exports')) {
    for (const [name, sig] of side.functions) exporters.set(name, [...(exporters.get(name) ?? []), { party: side.party, sig }]);
  }
  const problems: Diagnostic[] = [];
  const links: Link[] = [];
  for (const side of sides(recipe, 'imports')) {
    for (const [name, imported] of side.functions) {
      const candidates = (exporters.get(name) ?? []).filter((e) => e.party !== side.party);
      if (candidates.length === 0) {
        const near = closest(name, exporters.keys());
        problems.push({
          code: 'B2003',
          message: `${describe(side.party)} imports '${name}', which neither the host nor any other box exports`,
          location: imported.location,
          hint: near ? `did you mean '${near}'?` : `add it to the exports of the box that provides it`,
        });
        continue;
      }
      if (candidates.length > 1) {
        problems.push({
          code: 'B2004',
          message: `${describe(side.party)} imports '${name}', which ${candidates.map((c) => describe(c.party)).join(' and ')} all export`,
          location: imported.location,
          hint: 'export each function from one place only',
        });
        continue;
      }
      const exported = candidates[0]!;
      if (!sameSignature(imported.signature, exported.sig.signature)) {
        const at = exported.sig.location;
        problems.push({
          code: 'B2005',
          message: `${describe(side.party)} imports '${name}' as ${formatSignature(imported.signature)}, but ${describe(exported.party)} exports it as ${formatSignature(exported.sig.signature)}`,
          location: imported.location,
          hint: `the export is at ${at.file}${at.line ? `:${at.line}:${at.column ?? 1}` : ''}`,
        });
        continue;
      }
      links.push({ name, importer: side.party, exporter: exported.party, signature: exported.sig.signature });
    }
  }
  if (problems.length > 0) throw new BentoError(problems);
  return links;
}
