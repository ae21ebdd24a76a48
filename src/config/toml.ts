import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BentoError, fail } from '../diagnostics/error.js';
import type { SourceLocation } from '../diagnostics/error.js';

// The toml package's parser yields nodes with byte offsets, which its public parse() drops.
// We run its parser and compiler ourselves (pinned version) to keep a key -> position map.
const require = createRequire(import.meta.url);
const parser = require('toml/lib/parser') as { parse(text: string, options?: object): TomlNode[] };
const compiler = require('toml/lib/compiler') as { compile(nodes: TomlNode[], text: string, options?: object): unknown };

interface TomlNode {
  type: string;
  offset: number;
  key?: string[];
  value: unknown;
}

/** A parsed TOML document with the position of every key and value it holds. */
export interface TomlDocument {
  file: string;
  data: Record<string, unknown>;
  /** Key path ("memory.code.size", "boxes[1].name") -> where the key is written. */
  keys: Map<string, SourceLocation>;
  /** Key path -> where its value starts. */
  values: Map<string, SourceLocation>;
}

export function pathKey(parts: readonly (string | number)[]): string {
  let text = '';
  for (const p of parts) {
    if (typeof p === 'number') text += `[${p}]`;
    else text += text === '' ? p : `.${p}`;
  }
  return text;
}

export function parseToml(text: string, file: string): TomlDocument {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const locate = (offset: number): SourceLocation => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file, line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };

  let nodes: TomlNode[];
  let data: Record<string, unknown>;
  try {
    nodes = parser.parse(text, { bigint: false });
    data = compiler.compile(nodes, text, {}) as Record<string, unknown>;
  } catch (err) {
    const e = err as { message: string; line?: number; column?: number; location?: { start: { line: number; column: number } } };
    const line = e.line ?? e.location?.start.line;
    const column = e.column ?? e.location?.start.column;
    throw new BentoError({ code: 'B1005', message: e.message, location: { file, line, column } });
  }

  const keys = new Map<string, SourceLocation>();
  const values = new Map<string, SourceLocation>();
  const record = (path: (string | number)[], keyOffset: number, valueOffset: number) => {
    const k = pathKey(path);
    keys.set(k, locate(keyOffset));
    values.set(k, locate(valueOffset));
  };
  const walkValue = (path: (string | number)[], node: TomlNode) => {
    if (node.type === 'InlineTable') {
      for (const entry of node.value as TomlNode[]) {
        const p = [...path, ...entry.key!];
        record(p, entry.offset, (entry.value as TomlNode).offset);
        walkValue(p, entry.value as TomlNode);
      }
    } else if (node.type === 'Array') {
      (node.value as TomlNode[]).forEach((item, i) => {
        record([...path, i], item.offset, item.offset);
        walkValue([...path, i], item);
      });
    }
  };

  const arrayCounts = new Map<string, number>();
  let context: (string | number)[] = [];
  for (const node of nodes) {
    if (node.type === 'ObjectPath') {
      context = resolveHeader(node.value as string[], arrayCounts);
      record(context, node.offset, node.offset);
    } else if (node.type === 'ArrayPath') {
      const parts = node.value as string[];
      const parent = [...resolveHeader(parts.slice(0, -1), arrayCounts), parts[parts.length - 1]!];
      const at = pathKey(parent);
      const index = arrayCounts.get(at) ?? 0;
      arrayCounts.set(at, index + 1);
      context = [...parent, index];
      record(context, node.offset, node.offset);
    } else if (node.type === 'Assign') {
      const p = [...context, ...node.key!];
      record(p, node.offset, (node.value as TomlNode).offset);
      walkValue(p, node.value as TomlNode);
    }
  }
  return { file, data, keys, values };
}

/** A header path like [boxes.imports] inside an array of tables refers to its latest entry. */
function resolveHeader(parts: string[], arrayCounts: Map<string, number>): (string | number)[] {
  const path: (string | number)[] = [];
  for (const part of parts) {
    path.push(part);
    const count = arrayCounts.get(pathKey(path));
    if (count !== undefined) path.push(count - 1);
  }
  return path;
}

export function loadToml(file: string): TomlDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    fail('B1007', code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file}: ${code}`);
  }
  return parseToml(text, file);
}
