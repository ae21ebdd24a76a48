// Hand-built binary modules, for the malformed cases the text format cannot express.

import { unsignedLeb128 } from '../../../src/wasm/leb.js';

export const leb = unsignedLeb128;

export function str(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...leb(bytes.length), ...bytes];
}

export function section(id: number, contents: readonly number[]): number[] {
  return [id, ...leb(contents.length), ...contents];
}

/** A vector: its length, then the items' bytes. */
export function vec(items: readonly (readonly number[])[]): number[] {
  return [...leb(items.length), ...items.flat()];
}

export const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

export function wasm(...sections: (readonly number[])[]): Uint8Array {
  return Uint8Array.from([...HEADER, ...sections.flat()]);
}

/** A type section with one type, [] -> []. */
export const voidType = section(1, vec([[0x60, 0x00, 0x00]]));

/** A function section declaring `n` functions of type 0. */
export function funcs(n: number): number[] {
  return section(3, vec(Array.from({ length: n }, () => [0x00])));
}

/** A code section; each body is its code after the locals, `end` included. */
export function code(...bodies: (readonly number[])[]): number[] {
  return section(10, vec(bodies.map((b) => [...leb(b.length + 1), 0x00, ...b])));
}

/** Where a byte pattern first occurs in a module, for asserting error offsets. */
export function offsetOf(module: Uint8Array, pattern: readonly number[], from = HEADER.length): number {
  for (let i = from; i + pattern.length <= module.length; i++) {
    if (pattern.every((b, j) => module[i + j] === b)) return i;
  }
  throw new Error(`pattern ${pattern.join(',')} not in module`);
}
