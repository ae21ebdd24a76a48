// Build-time checks of a native box's objects, before they reach the image. A native box is
// hostile C: the MPU keeps it in its regions only while its code runs unprivileged, inside the
// box. So nothing of it may run anywhere else (a constructor in .init_array runs privileged at
// reset, before main), nothing of it may land outside the sections bento places in the box's
// regions, and it may reach the rest of the image only through its declared imports: every
// undefined symbol is an import, __box_abort, or a stateless helper of newlib or libgcc (the
// members of bento's own box C library it uses are part of its object by then: box-libc.ts).
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { RecipeBox } from '../config/recipe.js';
import type { Diagnostic } from '../diagnostics/error.js';
import { nativeExportSymbol, nativeImportSymbol } from '../glue/box-glue.js';
import { runTool } from '../toolchain/exec.js';
import { pureRuntimeSymbols, statefulLibcSymbols } from './native-box-runtime.js';
import { boxHeader, foreignExportHint, missingHeaderProblem, recipePlace } from './undefined-symbols.js';
import { serviceOf } from './box-libc.js';

/** One section header, as `readelf -S -W` prints it. */
export interface ElfSection {
  index: number;
  name: string;
  /** readelf's name of the type: PROGBITS, NOBITS, REL, ARM_EXIDX, LOOS+0xfff4c03, ... */
  type: string;
  /** readelf's flag letters: W write, A alloc, X execute, T thread-local, ... */
  flags: string;
}

/** A section table, or why it could not be read (which is a reason to refuse the object). */
export type SectionTable = { ok: true; sections: ElfSection[] } | { ok: false; reason: string };

const headerLine = /^\s*\[\s*(\d+)\] (\S*)\s+(\S+)\s+[0-9a-f]+\s+[0-9a-f]+\s+[0-9a-f]+\s+[0-9a-f]+\s+([A-Za-z]*)\s+\d+\s+\d+\s+\d+$/;

/**
 * Reads `readelf -S -W` output strictly: every header line must parse, with a name without
 * spaces, and the indexes must run from 0 to the count readelf announces. Anything else (a
 * name with spaces or odd characters printed on several lines) makes the table unreadable.
 */
export function parseSectionTable(text: string): SectionTable {
  const count = /There are (\d+) section headers/.exec(text);
  if (!count) return { ok: false, reason: 'readelf printed no section count' };
  const sections: ElfSection[] = [];
  for (const line of text.split('\n')) {
    if (!/^\s*\[\s*\d+\]/.test(line)) continue;
    const m = headerLine.exec(line);
    if (!m) return { ok: false, reason: `unreadable section header: ${line.trim()}` };
    sections.push({ index: Number(m[1]), name: m[2]!, type: m[3]!, flags: m[4]! });
  }
  const expected = Number(count[1]);
  if (sections.length !== expected || sections.some((s, i) => s.index !== i)) {
    return { ok: false, reason: `readelf announced ${expected} section headers and printed ${sections.length} readable ones` };
  }
  return { ok: true, sections };
}

/** What a section of a box's object is: fine, or refused for one of three reasons. */
export type SectionVerdict = 'allowed' | 'constructor' | 'reserved' | 'unknown';

const constructorName = /^\.(init_array|preinit_array|fini_array|ctors|dtors)(\..*)?$|^\.(init|fini)$/;
const constructorType = new Set(['INIT_ARRAY', 'FINI_ARRAY', 'PREINIT_ARRAY']);
/** Sections of bento's own image layout (sections.ld, link.ld). */
const reservedName = /^\.vectors$|^\.box_|^\.(stack|heap|linear_memory)$/;
/** Code and data: the image's .text, .rodata, .ARM.ex* and the box's own .data and .bss regions take exactly these. */
const placedName = /^\.(text|rodata|data|bss)(\..*)?$|^\.ARM\.(extab|exidx)/;
const placedType = new Set(['PROGBITS', 'NOBITS', 'ARM_EXIDX']);
/** Sections that never reach the image's memory: debug information, notes, tables for the linker. */
const metadataName = /^\.debug|^\.comment$|^\.note\.GNU-stack$|^\.ARM\.attributes$|^\.llvm_addrsig$|^\.group$|^\.(sym|str|shstr)tab$/;
const metadataType = new Set(['PROGBITS', 'NOBITS', 'ARM_ATTRIBUTES', 'LOOS+0xfff4c03', 'GROUP', 'SYMTAB', 'STRTAB']);
const relocationType = new Set(['REL', 'RELA']);

/** Decides whether one section of a box's object may go into the image. */
export function classifySection(s: ElfSection): SectionVerdict {
  if (s.index === 0 && s.type === 'NULL') return 'allowed';
  if (constructorName.test(s.name) || constructorType.has(s.type)) return 'constructor';
  if (reservedName.test(s.name)) return 'reserved';
  const allocated = s.flags.includes('A');
  if (s.flags.includes('T')) return 'unknown';
  if (relocationType.has(s.type)) return allocated ? 'unknown' : 'allowed';
  if (placedName.test(s.name)) return placedType.has(s.type) ? 'allowed' : 'unknown';
  if (metadataName.test(s.name)) return metadataType.has(s.type) && !allocated ? 'allowed' : 'unknown';
  return 'unknown';
}

const layoutHint = "a native box's code and data go to .text, .rodata, .data and .bss, which bento places in the box's regions: remove the section attribute (or the flag that made the section)";

/** The problems of one object's sections: located at the source it was compiled from. */
export function sectionProblems(box: string, source: string, table: SectionTable): Diagnostic[] {
  const location = (context: string) => ({ file: source, context });
  if (!table.ok) {
    return [{ code: 'B2007', message: `box ${box}: cannot vet the sections of ${basename(source)}'s object: ${table.reason}`, location: location('sections'), hint: layoutHint }];
  }
  const problems: Diagnostic[] = [];
  for (const s of table.sections) {
    const verdict = classifySection(s);
    const what = `section ${s.name || '(unnamed)'}`;
    if (verdict === 'constructor') {
      problems.push({
        code: 'B2007',
        message: `box ${box}: ${basename(source)} has a constructor or destructor (${what}); a box's code never runs outside the box, and constructors are not supported in native boxes`,
        location: location(what),
        hint: 'do the initialisation in an exported function the host calls first',
      });
    } else if (verdict === 'reserved') {
      problems.push({ code: 'B2007', message: `box ${box}: ${basename(source)} puts something in ${s.name}, a section of bento's own image layout`, location: location(what), hint: layoutHint });
    } else if (verdict === 'unknown') {
      const why = s.flags.includes('T') ? ' (thread-local)' : '';
      problems.push({ code: 'B2007', message: `box ${box}: ${basename(source)} has ${what} of type ${s.type}${why}, which the layout of a native box does not know`, location: location(what), hint: layoutHint });
    }
  }
  return problems;
}

/** An undefined symbol, with where `nm -l` found its first use (from the debug information). */
export interface UndefinedSymbol {
  name: string;
  file?: string;
  line?: number;
}

/** Reads `nm -u` (or `nm -u -l`) output: one undefined symbol a line, `U` or weak `w`/`v`. */
export function parseUndefined(text: string): UndefinedSymbol[] {
  const out: UndefinedSymbol[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*[UwvV] ([^\t]+)(?:\t(.+):(\d+))?$/.exec(line);
    if (m) out.push({ name: m[1]!, ...(m[2] !== undefined ? { file: m[2], line: Number(m[3]) } : {}) });
  }
  return out;
}

/** A function another party of the recipe exports, with its signature as the recipe writes it. */
export interface ForeignExport {
  party: string;
  signature: string;
}

/** The linker symbols of a box's own RAM region (templates/link.ld.hbs); its heap bounds are documented for boxes to use. */
const ownRegionSymbols = (box: string) =>
  ['ram_start', 'ram_end', 'stack_bottom', 'stack_top', 'data_start', 'data_end', 'data_load', 'bss_start', 'bss_end', 'heap_start', 'heap_end'].map(
    (s) => `__bento_box_${box}_${s}`,
  );

/** What a box's combined object may leave undefined: its imports (renamed), __box_abort, its own region's bounds, stateless helpers. */
export function allowedUndefined(box: RecipeBox): ReadonlySet<string> {
  // Imports by their C names (`volume.mount` is volume_mount); a callback type's <type>_call is
  // renamed as an import too, and the glue defines it for every box that may call one.
  const imports = [...box.imports.keys()].map((name) => name.replace('.', '_'));
  const invokers = [...box.imports.values(), ...box.exports.values()].flatMap((s) => s.signature.params.flatMap((p) => (p.type.kind === 'callback' ? [`${p.type.name}_call`] : [])));
  return new Set([...[...imports, ...invokers].map((name) => nativeImportSymbol(box.name, name)), '__box_abort', ...ownRegionSymbols(box.name), ...pureRuntimeSymbols]);
}

export interface SymbolCheckInput {
  box: RecipeBox;
  /** Undefined symbols of the combined, renamed object, with the place of their first use when known. */
  undefined: readonly UndefinedSymbol[];
  /** Undefined symbols of each source's own object, by source path, in the box's source order. */
  bySource: ReadonlyMap<string, readonly string[]>;
  /** Functions the host and the other boxes export (for the hint). */
  exported: ReadonlyMap<string, ForeignExport>;
  /** The sources that include neither the box's header nor bento_box.h (from their depfiles). */
  withoutHeader?: ReadonlySet<string>;
}

/** Every undefined symbol of a box that is not allowed, located at the source (and line) that uses it. */
export function symbolProblems(input: SymbolCheckInput): Diagnostic[] {
  const { box } = input;
  const allowed = allowedUndefined(box);
  const exports = new Set([...box.exports.keys()].map((name) => nativeExportSymbol(box.name, name)));
  const problems: Diagnostic[] = [];
  // An import called from a source without the box's header: renamed like any other call of it,
  // but through a declaration the compiler made up (or the source's own), not the recipe's.
  for (const name of [...box.imports.keys()].map((key) => key.replace('.', '_'))) {
    const users = [...input.bySource].filter(([source, names]) => input.withoutHeader?.has(source) && names.includes(name)).map(([source]) => source);
    if (users.length === 0) continue;
    const renamed = input.undefined.find((u) => u.name === nativeImportSymbol(box.name, name) && u.file !== undefined && resolve(u.file) === resolve(users[0]!));
    problems.push({
      code: 'B2008',
      location: { file: users[0]!, ...(renamed?.line !== undefined ? { line: renamed.line } : {}), context: `symbol ${name}` },
      ...missingHeaderProblem(box, name, users),
    });
  }
  for (const u of input.undefined) {
    // A declared export nobody defines is the recipe check's to report (B2006).
    if (allowed.has(u.name) || exports.has(u.name)) continue;
    const users = [...input.bySource].filter(([, names]) => names.includes(u.name)).map(([source]) => source);
    const atLine = u.file !== undefined ? users.find((s) => resolve(s) === resolve(u.file!)) : undefined;
    const source = atLine ?? users[0];
    const location = source ? { file: source, ...(atLine ? { line: u.line } : {}), context: `symbol ${u.name}` } : undefined;
    const others = users.filter((s) => s !== source).map((s) => basename(s));
    const where = source ? basename(source) : 'the box';
    const also = others.length > 0 ? ` (also ${others.join(', ')})` : '';
    problems.push({
      code: 'B2008',
      message: `box ${box.name}: ${where} uses '${u.name}'${also}, which the box neither defines nor imports`,
      location: location ?? box.location,
      hint: symbolHint(box, u.name, input.exported.get(u.name)),
    });
  }
  return problems;
}

function symbolHint(box: RecipeBox, name: string, exported: ForeignExport | undefined): string {
  if (exported) return foreignExportHint(box, name, exported.party, exported.signature);
  const service = serviceOf(name);
  if (service) {
    const libc = [...new Set([...box.libc, service])].map((s) => `"${s}"`).join(', ');
    return `the C library's "${service}" service provides it: add libc = [${libc}] to [box.${box.name}] (${recipePlace(box.location)})`;
  }
  if (statefulLibcSymbols.has(name)) return 'native boxes have no stateful C library (printf, malloc): call the host through an import, or make it a Wasm box';
  return `declare it in box.${box.name}.imports or define it in the box's sources`;
}

const exportComment = /^\/\* (\w+) = "(.*)" \*\/$/;

function exportsOfHeader(path: string): [string, string][] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf('/* Exports:');
  if (start < 0) return [];
  return text
    .slice(start)
    .split('\n')
    .flatMap((l) => {
      const m = exportComment.exec(l.trim());
      return m ? [[m[1]!, m[2]!] as [string, string]] : [];
    });
}

/**
 * The functions the host and the other boxes export, read back from the headers bento wrote
 * for this build (glue/include/): the host's lists every box and the host exports that are
 * linked, each box's header all of that box's exports. Only used for hints.
 */
export function foreignExports(headerDir: string, box: string): Map<string, ForeignExport> {
  const out = new Map<string, ForeignExport>();
  const hostHeader = join(headerDir, 'bento_host.h');
  if (!existsSync(hostHeader)) return out;
  for (const [name, signature] of exportsOfHeader(hostHeader)) out.set(name, { party: 'the host', signature });
  const boxes = [...readFileSync(hostHeader, 'utf8').matchAll(/^extern bento_box_t bento_box_(\w+);$/gm)].map((m) => m[1]!);
  for (const other of boxes.filter((b) => b !== box).sort()) {
    for (const [name, signature] of exportsOfHeader(join(headerDir, `bento_${other}.h`))) {
      if (!out.has(name)) out.set(name, { party: `box ${other}`, signature });
    }
  }
  return out;
}

export interface NativeBoxCheckInput {
  box: RecipeBox;
  /** Each source with the object compiled from it. */
  compiled: readonly { source: string; object: string }[];
  /** The combined object, its exports and imports renamed. */
  combined: string;
  headerDir: string;
}

/** Vets a native box's objects (sections) and its combined object (undefined symbols); returns every problem. */
export async function checkNativeBox(input: NativeBoxCheckInput): Promise<Diagnostic[]> {
  const { box } = input;
  const problems: Diagnostic[] = [];
  const bySource = new Map<string, string[]>();
  const withoutHeader = new Set<string>();
  for (const { source, object } of input.compiled) {
    const doing = `box ${box.name}: reading ${basename(object)}`;
    const [sections, symbols] = await Promise.all([runTool('readelf', ['-S', '-W', object], { doing }), runTool('nm', ['-u', object], { doing })]);
    problems.push(...sectionProblems(box.name, source, parseSectionTable(sections.stdout)));
    bySource.set(source, parseUndefined(symbols.stdout).map((u) => u.name));
    const depfile = `${object}.d`;
    if (existsSync(depfile) && !includesBoxHeader(readFileSync(depfile, 'utf8'), box.instance?.of ?? box.name)) withoutHeader.add(source);
  }
  const combined = await runTool('nm', ['-u', '-l', input.combined], { doing: `box ${box.name}: reading its symbols` });
  problems.push(...symbolProblems({ box, undefined: parseUndefined(combined.stdout), bySource, exported: foreignExports(input.headerDir, box.name), withoutHeader }));
  return problems;
}

/** Whether a source's depfile (clang -MMD) names the box's header, bento_<box>.h (its definition's, for an instance), or bento_box.h, which includes it. */
export function includesBoxHeader(depfile: string, box: string): boolean {
  const names = new Set([`bento_${box}.h`, boxHeader]);
  return depfile
    .replace(/\\\n/g, ' ')
    .split(/\s+/)
    .some((dep) => names.has(basename(dep.replace(/:$/, ''))));
}
