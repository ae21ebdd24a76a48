// Byte-level helpers the generator and the mutator share: LEB128 writers (plain, overlong and
// out of range), section framing, and a tolerant split of a module into its sections.

export const HEADER = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);

export function concat(parts: readonly (Uint8Array | readonly number[])[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Unsigned LEB128 of a non-negative integer (number or bigint), padded to `minBytes` when asked. */
export function uleb(value: number | bigint, minBytes = 1): number[] {
  let v = BigInt(value);
  const out: number[] = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(byte | 0x80);
  } while (v !== 0n || out.length < minBytes);
  out[out.length - 1]! &= 0x7f;
  return out;
}

/** Signed LEB128 of an integer (number or bigint). */
export function sleb(value: number | bigint): number[] {
  let v = BigInt(value);
  const out: number[] = [];
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

export function name(text: string): number[] {
  const bytes = [...Buffer.from(text, 'utf8')];
  return [...uleb(bytes.length), ...bytes];
}

export function vec(items: readonly (readonly number[])[]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

export function section(id: number, content: readonly number[] | Uint8Array): Uint8Array {
  return concat([[id, ...uleb(content.length)], content]);
}

/** An unsigned LEB128 read from `at`, or undefined when none ends within 10 bytes or the input. */
export function readUleb(bytes: Uint8Array, at: number): { value: bigint; length: number } | undefined {
  let value = 0n;
  for (let i = 0; i < 10 && at + i < bytes.length; i++) {
    const b = bytes[at + i]!;
    value |= BigInt(b & 0x7f) << BigInt(7 * i);
    if (b < 0x80) return { value, length: i + 1 };
  }
  return undefined;
}

export interface RawSection {
  id: number;
  content: Uint8Array;
}

/**
 * The sections of a module whose framing is intact (header, then id / size / contents up to the
 * end), or undefined. Contents are not looked at.
 */
export function splitSections(bytes: Uint8Array): RawSection[] | undefined {
  if (bytes.length < 8) return undefined;
  for (let i = 0; i < 8; i++) if (bytes[i] !== HEADER[i]) return undefined;
  const sections: RawSection[] = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at]!;
    const size = readUleb(bytes, at + 1);
    if (size === undefined) return undefined;
    const start = at + 1 + size.length;
    const end = start + Number(size.value);
    if (end > bytes.length) return undefined;
    sections.push({ id, content: bytes.subarray(start, end) });
    at = end;
  }
  return sections;
}

export function joinSections(sections: readonly RawSection[]): Uint8Array {
  return concat([HEADER, ...sections.map((s) => section(s.id, s.content))]);
}

/** The bodies of a code section whose framing is intact: count, then size-prefixed bodies. */
export function splitBodies(content: Uint8Array): Uint8Array[] | undefined {
  const count = readUleb(content, 0);
  if (count === undefined || count.value > BigInt(content.length)) return undefined;
  const bodies: Uint8Array[] = [];
  let at = count.length;
  for (let i = 0n; i < count.value; i++) {
    const size = readUleb(content, at);
    if (size === undefined) return undefined;
    const start = at + size.length;
    const end = start + Number(size.value);
    if (end > content.length) return undefined;
    bodies.push(content.subarray(start, end));
    at = end;
  }
  return at === content.length ? bodies : undefined;
}

export function joinBodies(bodies: readonly Uint8Array[]): Uint8Array {
  return concat([uleb(bodies.length), ...bodies.map((b) => concat([uleb(b.length), b]))]);
}
