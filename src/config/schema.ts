import { BentoError } from '../diagnostics/error.js';
import type { Diagnostic } from '../diagnostics/error.js';
import { closest } from '../diagnostics/suggest.js';
import { pathKey } from './toml.js';
import type { TomlDocument } from './toml.js';

/**
 * A declarative schema for TOML files: it checks types and unknown keys, gives every problem a
 * file:line:col, and can be turned into a JSON Schema for editors.
 */
export type Field =
  | { kind: 'string'; doc: string; required?: boolean; oneOf?: readonly string[] }
  | { kind: 'int'; doc: string; required?: boolean; min?: number; max?: number }
  | { kind: 'size'; doc: string; required?: boolean }
  | { kind: 'duration'; doc: string; required?: boolean; min?: number }
  | { kind: 'bool'; doc: string; required?: boolean }
  | { kind: 'array'; doc: string; required?: boolean; of: Field }
  | { kind: 'table'; doc: string; required?: boolean; fields: Record<string, Field> }
  | { kind: 'map'; doc: string; required?: boolean; of: Field }
  /** One of several fields, told apart by the value's TOML type: the first whose type fits checks it. */
  | { kind: 'either'; doc: string; required?: boolean; of: readonly Field[] };

/** The TOML types a field takes (as typeName says them), and how a message names them. */
function accepted(field: Field): { types: readonly string[]; says: string } {
  switch (field.kind) {
    case 'string':
      return { types: ['string'], says: 'a string' };
    case 'int':
      return { types: ['integer'], says: 'an integer' };
    case 'size':
      return { types: ['integer', 'string'], says: 'a size in bytes (an integer, or a string such as "64 KiB")' };
    case 'duration':
      return { types: ['string'], says: 'a time with its unit, such as "10 ms" or "500 us"' };
    case 'bool':
      return { types: ['boolean'], says: 'true or false' };
    case 'array':
      return { types: ['array'], says: 'an array' };
    case 'table':
    case 'map':
      return { types: ['table'], says: 'a table' };
    case 'either': {
      const each = field.of.map(accepted);
      return { types: each.flatMap((a) => a.types), says: each.map((a) => a.says).join(' or ') };
    }
  }
}

const sizeUnits: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1 << 20, mb: 1 << 20, mib: 1 << 20 };

/** "4 MiB", "64K", "512" or a number -> bytes; undefined when it is not a size. */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(0x[0-9a-f]+|\d+)\s*([a-z]*)\s*$/i.exec(value);
  if (!m) return undefined;
  const unit = sizeUnits[m[2]!.toLowerCase()];
  return unit === undefined ? undefined : Number(m[1]) * unit;
}

const durationUnits: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9 };
const durationPattern = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s)\s*$/;

/** "10 ms", "500 us", "1.5 s" -> whole nanoseconds; undefined when it is not a time with a unit. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = durationPattern.exec(value);
  if (!m) return undefined;
  const ns = Number(m[1]) * durationUnits[m[2]!]!;
  return Number.isInteger(ns) ? ns : Math.round(ns);
}

/** A time in nanoseconds as a person would write it: "10 ms", "500 us", "1.5 s". */
export function formatDuration(ns: number): string {
  for (const [unit, scale] of [['s', 1e9], ['ms', 1e6], ['us', 1e3]] as const) {
    if (ns >= scale) return `${Number((ns / scale).toFixed(3))} ${unit}`;
  }
  return `${ns} ns`;
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'table';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'float';
  return typeof value;
}

/** Checks `doc.data` against `root`; returns the data with sizes normalised to bytes. */
export function checkDocument(doc: TomlDocument, root: Record<string, Field>): Record<string, unknown> {
  const problems: Diagnostic[] = [];
  const where = (path: (string | number)[], of: 'key' | 'value' = 'value') => {
    for (let p = path; p.length > 0; p = p.slice(0, -1)) {
      const hit = (of === 'key' ? doc.keys : doc.values).get(pathKey(p));
      if (hit) return hit;
    }
    return { file: doc.file };
  };

  const check = (field: Field, value: unknown, path: (string | number)[]): unknown => {
    const name = pathKey(path);
    const wrong = (expected: string) => {
      problems.push({ code: 'B1002', message: `'${name}' must be ${expected}, not ${typeName(value)}`, location: where(path) });
      return undefined;
    };
    switch (field.kind) {
      case 'string':
        if (typeof value !== 'string') return wrong('a string');
        if (field.oneOf && !field.oneOf.includes(value)) {
          const guess = closest(value, field.oneOf);
          problems.push({
            code: 'B1004',
            message: `'${name}' is '${value}', expected one of ${field.oneOf.map((v) => `'${v}'`).join(', ')}`,
            location: where(path),
            hint: guess ? `did you mean '${guess}'?` : undefined,
          });
        }
        return value;
      case 'int':
        if (typeof value !== 'number' || !Number.isInteger(value)) return wrong('an integer');
        if ((field.min !== undefined && value < field.min) || (field.max !== undefined && value > field.max)) {
          problems.push({ code: 'B1004', message: `'${name}' is ${value}, expected ${field.min ?? '-inf'}..${field.max ?? 'inf'}`, location: where(path) });
        }
        return value;
      case 'size': {
        const bytes = parseSize(value);
        if (bytes === undefined) return wrong('a size in bytes (an integer, or a string such as "64 KiB")');
        return bytes;
      }
      case 'duration': {
        if (typeof value !== 'string') return wrong('a time with its unit, such as "10 ms" or "500 us"');
        const ns = parseDuration(value);
        if (ns === undefined) {
          problems.push({ code: 'B1004', message: `'${name}' is '${value}', expected a time such as "10 ms" or "500 us" (units ns, us, ms, s)`, location: where(path) });
          return undefined;
        }
        if (field.min !== undefined && ns < field.min) {
          problems.push({ code: 'B1004', message: `'${name}' is ${formatDuration(ns)}, must be at least ${formatDuration(field.min)}`, location: where(path) });
        }
        return ns;
      }
      case 'bool':
        return typeof value === 'boolean' ? value : wrong('true or false');
      case 'array':
        if (!Array.isArray(value)) return wrong('an array');
        return value.map((item, i) => check(field.of, item, [...path, i]));
      case 'table':
        if (typeName(value) !== 'table') return wrong('a table');
        return checkTable(field.fields, value as Record<string, unknown>, path);
      case 'map': {
        if (typeName(value) !== 'table') return wrong('a table');
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = check(field.of, v, [...path, k]);
        return out;
      }
      case 'either': {
        const fits = field.of.find((option) => accepted(option).types.includes(typeName(value)));
        return fits ? check(fits, value, path) : wrong(accepted(field).says);
      }
    }
  };

  const checkTable = (fields: Record<string, Field>, table: Record<string, unknown>, path: (string | number)[]) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(table)) {
      const field = fields[key];
      if (!field) {
        const guess = closest(key, Object.keys(fields));
        problems.push({
          code: 'B1001',
          message: `unknown key '${pathKey([...path, key])}'`,
          location: where([...path, key], 'key'),
          hint: guess ? `did you mean '${guess}'?` : `known keys here: ${Object.keys(fields).join(', ')}`,
        });
        continue;
      }
      out[key] = check(field, value, [...path, key]);
    }
    for (const [key, field] of Object.entries(fields)) {
      if (field.required && !(key in table)) {
        problems.push({
          code: 'B1003',
          message: `missing key '${pathKey([...path, key])}' (${field.doc})`,
          location: where(path, 'key'),
        });
      }
    }
    return out;
  };

  const data = checkTable(root, doc.data, []);
  if (problems.length > 0) throw new BentoError(problems);
  return data;
}

/** The same schema as a JSON Schema (draft 2020-12), so editors can complete and check files. */
export function toJsonSchema(root: Record<string, Field>, title: string): object {
  const convert = (field: Field): Record<string, unknown> => {
    const base = { description: field.doc };
    switch (field.kind) {
      case 'string':
        return { ...base, type: 'string', ...(field.oneOf ? { enum: field.oneOf } : {}) };
      case 'int':
        return { ...base, type: 'integer', ...(field.min !== undefined ? { minimum: field.min } : {}), ...(field.max !== undefined ? { maximum: field.max } : {}) };
      case 'size':
        return { ...base, anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: '^\\s*(0x[0-9a-fA-F]+|\\d+)\\s*([kKmM]i?[bB]?|[bB])?\\s*$' }] };
      case 'duration':
        return { ...base, type: 'string', pattern: durationPattern.source };
      case 'bool':
        return { ...base, type: 'boolean' };
      case 'array':
        return { ...base, type: 'array', items: convert(field.of) };
      case 'table':
        return object(field.fields, base);
      case 'map':
        return { ...base, type: 'object', additionalProperties: convert(field.of) };
      case 'either':
        return { ...base, anyOf: field.of.map(convert) };
    }
  };
  const object = (fields: Record<string, Field>, base: object) => ({
    ...base,
    type: 'object',
    properties: Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, convert(f)])),
    required: Object.entries(fields).filter(([, f]) => f.required).map(([k]) => k),
    additionalProperties: false,
  });
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', title, ...object(root, {}) };
}
