// The recipe's `[types]`: structs that cross the box boundary by pointer, opaque handles, and
// callback types. Written as strings, like signatures:
//
//   [types]
//   info    = "struct { u8 type, u32 size, u8[256] name }"     # fields in order, `;` or `,`
//   file    = "handle"                                         # or "handle[32]": its table's slots
//   blockio = "fn(u32 block, mut u8[n] buf, usize n) -> err"   # a callback type
//
// A struct is laid out as C lays it out with natural alignment, which wasm32 and the Arm EABI
// agree on for these field types; the generated headers assert the layout in every compile.
import { BentoError } from '../diagnostics/error.js';
import type { Diagnostic, SourceLocation } from '../diagnostics/error.js';
import { closest } from '../diagnostics/suggest.js';
import { parseSignature, primitiveInfo } from './signature.js';
import type { FieldType, NamedType, PrimitiveType, StructField, TypeTable } from './signature.js';

/** Slots of a handle type's table when the recipe gives none. */
export const DEFAULT_HANDLE_CAPACITY = 16;
/** Handles encode their slot in 8 bits (bento/handle.h). */
export const MAX_HANDLE_CAPACITY = 255;

const PRIMITIVE_NAMES: ReadonlySet<string> = new Set(['bool', 'i8', 'i16', 'i32', 'i64', 'u8', 'u16', 'u32', 'u64', 'isize', 'usize', 'f32', 'f64', 'err', 'err32', 'err64', 'errsize']);
const KEYWORDS: ReadonlySet<string> = new Set(['struct', 'handle', 'fn', 'const', 'mut', 'nullable', 'void', 'noreturn']);

/** One `[types]` entry as written. */
export interface WrittenType {
  name: string;
  text: string;
  /** Where the string's first character is (one past the quote). */
  location: SourceLocation;
  /** Where the key is. */
  keyLocation: SourceLocation;
}

interface Layout {
  bytes: number;
  align: number;
}

/** Parses every `[types]` entry; reports all problems at once. */
export function parseTypes(written: readonly WrittenType[]): TypeTable {
  const problems: Diagnostic[] = [];
  const at = (w: WrittenType, offset: number): SourceLocation => (w.location.column === undefined ? w.location : { ...w.location, column: w.location.column + offset });
  const kinds = new Map<string, { written: WrittenType; kind: 'struct' | 'handle' | 'callback' }>();
  for (const w of written) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(w.name) || PRIMITIVE_NAMES.has(w.name) || KEYWORDS.has(w.name) || /^_[A-Z_]|^bento_/i.test(w.name)) {
      problems.push({ code: 'B1008', message: `'${w.name}' cannot name a type: it must be a C identifier that is no primitive type, keyword or bento_ name`, location: w.keyLocation });
      continue;
    }
    const head = w.text.trim();
    const kind = head.startsWith('struct') ? 'struct' : /^handle\b/.test(head) ? 'handle' : /^fn\b/.test(head) ? 'callback' : undefined;
    if (!kind) {
      problems.push({ code: 'B1008', message: `type '${w.name}' is '${head}', which is no struct, handle or callback`, location: w.location, hint: `write "struct { u32 a, u8[16] b }", "handle" or "fn(...) -> err"` });
      continue;
    }
    kinds.set(w.name, { written: w, kind });
  }

  const structs = new Map<string, { written: WrittenType; fields: { name: string; type: FieldType; offset: number }[] }>();
  const handles = new Map<string, number>();
  for (const [name, { written: w, kind }] of kinds) {
    if (kind === 'handle') {
      const m = /^\s*handle\s*(?:\[\s*([0-9]+)\s*\])?\s*$/.exec(w.text);
      const capacity = m?.[1] === undefined ? DEFAULT_HANDLE_CAPACITY : Number(m[1]);
      if (!m || capacity < 1 || capacity > MAX_HANDLE_CAPACITY) {
        problems.push({ code: 'B1008', message: `type '${name}': a handle is written "handle" or "handle[N]" with 1 <= N <= ${MAX_HANDLE_CAPACITY} slots, not '${w.text}'`, location: w.location });
        continue;
      }
      handles.set(name, capacity);
    }
    if (kind === 'struct') {
      const fields = parseFields(w, kinds, (offset, message, hint) => problems.push({ code: 'B1008', message: `type '${name}': ${message}`, location: at(w, offset), ...(hint ? { hint } : {}) }));
      if (fields) structs.set(name, { written: w, fields });
    }
  }

  // Layouts, nested structs first; a struct that contains itself has none.
  const layouts = new Map<string, Layout>();
  const visiting = new Set<string>();
  const layoutOf = (t: FieldType): Layout | undefined => {
    if (t.kind === 'primitive') return { bytes: primitiveInfo(t.primitive).bytes, align: primitiveInfo(t.primitive).bytes };
    if (t.kind === 'handle') return { bytes: 4, align: 4 };
    if (t.kind === 'array') {
      const e = layoutOf(t.element);
      return e && { bytes: e.bytes * t.n, align: e.align };
    }
    return structLayout(t.name);
  };
  const structLayout = (name: string): Layout | undefined => {
    if (layouts.has(name)) return layouts.get(name);
    const s = structs.get(name);
    if (!s) return undefined;
    if (visiting.has(name)) {
      problems.push({ code: 'B1008', message: `type '${name}' contains itself`, location: s.written.location, hint: 'a struct crossing the box boundary holds values, not references: use a handle' });
      return undefined;
    }
    visiting.add(name);
    let bytes = 0;
    let align = 1;
    for (const f of s.fields) {
      const l = layoutOf(f.type);
      if (!l) {
        visiting.delete(name);
        return undefined;
      }
      bytes = Math.ceil(bytes / l.align) * l.align;
      f.offset = bytes;
      bytes += l.bytes;
      align = Math.max(align, l.align);
    }
    visiting.delete(name);
    const layout = { bytes: Math.max(Math.ceil(bytes / align) * align, 0), align };
    if (layout.bytes >= 2 ** 31) {
      problems.push({ code: 'B1008', message: `type '${name}' takes ${layout.bytes} bytes; a struct must fit in 2 GiB`, location: s.written.location });
      return undefined;
    }
    layouts.set(name, layout);
    return layout;
  };

  const table = new Map<string, NamedType>();
  for (const [name, capacity] of handles) table.set(name, { kind: 'handle', name, capacity });
  for (const [name, s] of structs) {
    const layout = structLayout(name);
    if (!layout) continue;
    const fields: StructField[] = s.fields.map((f) => ({ name: f.name, type: f.type, offset: f.offset, bytes: layoutOf(f.type)!.bytes }));
    table.set(name, { kind: 'struct', name, fields, bytes: layout.bytes, align: layout.align });
  }
  // Callbacks last: their signatures may use every struct and handle, and other callbacks.
  const callbackNames = [...kinds].filter(([, k]) => k.kind === 'callback').map(([n]) => n);
  for (const name of callbackNames) table.set(name, { kind: 'callback', name, signature: { params: [], result: 'void' } });
  for (const name of callbackNames) {
    const w = kinds.get(name)!.written;
    try {
      const signature = parseSignature(w.text, { file: w.location.file, line: w.location.line, column: w.location.column }, table);
      table.set(name, { kind: 'callback', name, signature });
    } catch (err) {
      if (!(err instanceof BentoError)) throw err;
      problems.push(...err.diagnostics);
    }
  }
  if (problems.length > 0) throw new BentoError(problems);
  return table;
}

/** `struct { T name, T[N] name; ... }`: the fields in order, offsets still to come. */
function parseFields(
  w: WrittenType,
  kinds: ReadonlyMap<string, { kind: 'struct' | 'handle' | 'callback' }>,
  report: (offset: number, message: string, hint?: string) => void,
): { name: string; type: FieldType; offset: number }[] | undefined {
  const text = w.text;
  const open = text.indexOf('{');
  const close = text.lastIndexOf('}');
  if (!/^\s*struct\s*\{/.test(text) || close < open || text.slice(close + 1).trim() !== '') {
    report(0, `a struct is written "struct { T name, ... }", not '${text}'`);
    return undefined;
  }
  const body = text.slice(open + 1, close);
  const fields: { name: string; type: FieldType; offset: number }[] = [];
  const names = new Set<string>();
  let ok = true;
  let at = open + 1;
  for (const part of body.split(/[;,]/)) {
    const offset = at + (part.length - part.trimStart().length);
    at += part.length + 1;
    const field = part.trim();
    if (field === '') continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*((?:\[\s*[0-9A-Za-z_]+\s*\]\s*)*)\s+([A-Za-z_][A-Za-z0-9_]*)$/.exec(field);
    if (!m) {
      report(offset, `field '${field}' at column ${offset + 1} is not 'type name' or 'type[N] name'`, 'a field is a primitive, a struct or a handle of [types], or a fixed array of one: u8[16] name');
      ok = false;
      continue;
    }
    const [, typeName, dims, name] = m as unknown as [string, string, string, string];
    let type: FieldType | undefined;
    const spelled = typeName === 'err' ? 'err32' : typeName;
    if (PRIMITIVE_NAMES.has(spelled)) type = { kind: 'primitive', primitive: spelled as PrimitiveType };
    else if (kinds.get(typeName)?.kind === 'struct') type = { kind: 'struct', name: typeName };
    else if (kinds.get(typeName)?.kind === 'handle') type = { kind: 'handle', name: typeName };
    else if (kinds.get(typeName)?.kind === 'callback') {
      report(offset, `field '${name}' at column ${offset + 1} is a callback; callbacks are passed as parameters, not kept in structs`);
      ok = false;
      continue;
    } else {
      const near = closest(typeName, [...PRIMITIVE_NAMES, ...[...kinds].filter(([, k]) => k.kind !== 'callback').map(([n]) => n)]);
      report(offset, `unknown type '${typeName}' of field '${name}' at column ${offset + 1}`, near ? `did you mean '${near}'?` : undefined);
      ok = false;
      continue;
    }
    for (const dim of [...dims.matchAll(/\[\s*([0-9A-Za-z_]+)\s*\]/g)].map((d) => d[1]!).reverse()) {
      const n = /^(0|[1-9][0-9]*|0[xX][0-9a-fA-F]+)$/.test(dim) ? Number(dim) : NaN;
      if (!(n >= 1)) {
        report(offset, `field '${name}' at column ${offset + 1}: an array field has a constant length of at least 1, not '${dim}'`);
        ok = false;
        break;
      }
      type = { kind: 'array', element: type, n };
    }
    if (names.has(name)) {
      report(offset, `field '${name}' at column ${offset + 1} is declared twice`);
      ok = false;
    }
    names.add(name);
    fields.push({ name, type, offset: 0 });
  }
  if (fields.length === 0 && ok) {
    report(open, 'a struct needs at least one field');
    return undefined;
  }
  return ok ? fields : undefined;
}

/** The C declaration of a field, as in `uint8_t name[256]`. */
export function cField(f: StructField): string {
  let t = f.type;
  let dims = '';
  while (t.kind === 'array') {
    dims += `[${t.n}]`;
    t = t.element;
  }
  const base = t.kind === 'primitive' ? primitiveInfo(t.primitive).c : t.name;
  return `${base} ${f.name}${dims}`;
}
