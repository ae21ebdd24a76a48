// The mutator: byte flips, inserted and deleted runs, LEB128-aware edits (overlong, huge and
// off-by-one lengths and counts), section swaps, duplicates and drops, truncation, splicing two
// modules, and edits inside one section or one function body with the framing re-made around
// them, so that the edit reaches the part of the decoder (or the validator) behind the framing.
import { concat, joinBodies, joinSections, readUleb, sleb, splitBodies, splitSections, uleb, type RawSection } from './encode.js';
import type { Rng } from './rng.js';

/** Bytes the decoder gives meaning to: types, opcodes with immediates, prefixes, flags. */
const INTERESTING_BYTES = [
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x1a, 0x1b, 0x1c, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26,
  0x28, 0x36, 0x3f, 0x40, 0x41, 0x42, 0x43, 0x44, 0x60, 0x6f, 0x70, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f, 0x80, 0xd0, 0xd1, 0xd2, 0xfc, 0xfd, 0xff,
];

/** Whole instructions (some with broken or extreme immediates) to drop into a function body. */
function instructionSnippet(rng: Rng): number[] {
  const idx = (): number[] => uleb(rng.weighted([[6, rng.int(4)], [2, rng.int(64)], [1, rng.interestingU32()]]));
  return rng.weighted<() => number[]>([
    [3, () => [rng.int(256)]],
    [2, () => [rng.pick(INTERESTING_BYTES)]],
    [2, () => [0x41, ...sleb(rng.interestingU32() | 0)]],
    [1, () => [0x42, ...sleb(BigInt.asIntN(64, (BigInt(rng.next()) << 32n) | BigInt(rng.next())))]],
    [1, () => [0x43, rng.int(256), rng.int(256), 0xc0, 0x7f]],
    [1, () => [0x44, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f]],
    [2, () => [rng.pick([0x20, 0x21, 0x22, 0x23, 0x24, 0x10, 0x0c, 0x0d, 0xd2, 0x25, 0x26]), ...idx()]],
    [2, () => [rng.pick([0x02, 0x03, 0x04]), rng.pick([0x40, 0x7f, 0x7e, 0x7d, 0x7c, 0x70, 0x6f, 0x7b, 0x00, 0x01, 0x05])]],
    [2, () => [0x0b]],
    [1, () => [0x05]],
    [1, () => [0x0e, ...uleb(rng.int(4)), ...Array.from({ length: 4 }, () => rng.int(3)), 0]],
    [1, () => [0x11, ...idx(), ...idx()]],
    [2, () => [rng.range(0x28, 0x3e), ...uleb(rng.weighted([[5, rng.int(4)], [1, rng.int(40)]])), ...uleb(rng.interestingU32())]],
    [1, () => [rng.pick([0x3f, 0x40]), 0]],
    [1, () => [0x1c, ...uleb(rng.int(3)), ...Array.from({ length: 2 }, () => rng.pick([0x7f, 0x7e, 0x70, 0x6f, 0x7b]))]],
    [1, () => [0xd0, rng.pick([0x70, 0x6f, 0x7f])]],
    [2, () => [0xfc, ...uleb(rng.weighted([[8, rng.int(18)], [1, rng.interestingU32()]])), ...idx(), ...idx()]],
    [1, () => [0xfc, ...uleb(rng.int(18), rng.range(2, 5)), 0, 0]],
    [1, () => [0xfd, ...uleb(rng.int(300))]],
    [2, () => [rng.range(0x45, 0xc4)]],
  ])();
}

/** A number as an LEB128 of an odd shape: overlong, too long, too large, or just different. */
function oddLeb(rng: Rng, value: bigint, length: number): number[] {
  return rng.weighted<() => number[]>([
    [3, () => uleb(value, length + rng.range(1, 5))],
    [1, () => [0xff, 0xff, 0xff, 0xff, 0x0f]],
    [1, () => [0xff, 0xff, 0xff, 0xff, 0x7f]],
    [1, () => [0x80, 0x80, 0x80, 0x80, 0x80, 0x00]],
    [3, () => uleb(value + 1n)],
    [3, () => uleb(value > 0n ? value - 1n : 0n)],
    [3, () => uleb(rng.interestingU32())],
    [1, () => [...uleb(value, length).map((b) => b | 0x80)]],
    [1, () => uleb(BigInt(rng.next()) * 3n)],
  ])();
}

function randomBytes(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => (rng.chance(0.5) ? rng.pick(INTERESTING_BYTES) : rng.int(256)));
}

function splice(bytes: Uint8Array, at: number, remove: number, insert: readonly number[] | Uint8Array): Uint8Array {
  return concat([bytes.subarray(0, at), insert, bytes.subarray(Math.min(bytes.length, at + remove))]);
}

/** A position, more often near the start (where sizes and counts are). */
function position(rng: Rng, length: number): number {
  if (length === 0) return 0;
  return rng.chance(0.3) ? rng.int(Math.min(length, 32)) : rng.int(length);
}

// Byte-level mutations of any input.

function flipBit(rng: Rng, b: Uint8Array): Uint8Array {
  if (b.length === 0) return b;
  const out = b.slice();
  out[rng.int(out.length)]! ^= 1 << rng.int(8);
  return out;
}

function setByte(rng: Rng, b: Uint8Array): Uint8Array {
  if (b.length === 0) return b;
  const out = b.slice();
  out[position(rng, out.length)] = rng.chance(0.6) ? rng.pick(INTERESTING_BYTES) : rng.int(256);
  return out;
}

function insertRun(rng: Rng, b: Uint8Array): Uint8Array {
  return splice(b, position(rng, b.length + 1), 0, randomBytes(rng, rng.weighted([[4, 1], [2, rng.range(2, 8)], [1, rng.range(9, 64)]])));
}

function deleteRun(rng: Rng, b: Uint8Array): Uint8Array {
  return splice(b, position(rng, b.length), rng.weighted([[4, 1], [2, rng.range(2, 8)], [1, rng.range(9, 256)]]), []);
}

function duplicateRun(rng: Rng, b: Uint8Array): Uint8Array {
  if (b.length === 0) return b;
  const start = rng.int(b.length);
  const run = b.slice(start, start + rng.range(1, 32));
  return splice(b, rng.int(b.length + 1), 0, rng.chance(0.2) ? concat(Array.from({ length: rng.range(2, 50) }, () => run)) : run);
}

function editLeb(rng: Rng, b: Uint8Array): Uint8Array {
  for (let tries = 0; tries < 8; tries++) {
    const at = position(rng, b.length);
    const leb = readUleb(b, at);
    if (leb === undefined) continue;
    return splice(b, at, leb.length, oddLeb(rng, leb.value, leb.length));
  }
  return setByte(rng, b);
}

function truncate(rng: Rng, b: Uint8Array): Uint8Array {
  if (b.length <= 1) return b.subarray(0, 0);
  const cut = rng.chance(0.5) ? b.length - rng.range(1, Math.min(b.length, 16)) : rng.int(b.length);
  return b.subarray(0, cut);
}

function spliceBytes(rng: Rng, b: Uint8Array, other: Uint8Array): Uint8Array {
  return concat([b.subarray(0, rng.int(b.length + 1)), other.subarray(rng.int(other.length + 1))]);
}

// Section-level mutations: need intact framing, else fall back to a byte-level one.

type SectionEdit = (rng: Rng, sections: RawSection[], other: RawSection[] | undefined) => RawSection[];

const sectionEdits: readonly (readonly [number, SectionEdit])[] = [
  [2, (rng, s) => { // swap two
    if (s.length < 2) return s;
    const i = rng.int(s.length);
    const j = rng.int(s.length);
    [s[i], s[j]] = [s[j]!, s[i]!];
    return s;
  }],
  [2, (rng, s) => { // duplicate one
    if (s.length === 0) return s;
    const i = rng.int(s.length);
    s.splice(rng.int(s.length + 1), 0, s[i]!);
    return s;
  }],
  [2, (rng, s) => { // drop one
    if (s.length > 0) s.splice(rng.int(s.length), 1);
    return s;
  }],
  [3, (rng, s, other) => { // take a section from another module: in place of the same id, or anywhere
    if (other === undefined || other.length === 0) return s;
    const donor = rng.pick(other);
    const same = s.findIndex((x) => x.id === donor.id);
    if (same >= 0 && rng.chance(0.7)) s[same] = donor;
    else s.splice(rng.int(s.length + 1), 0, donor);
    return s;
  }],
  [2, (rng, s) => { // a custom section, sometimes a "name" section with junk inside
    const title = rng.pick(['name', 'producers', 'x', '', '\u00e9']);
    const nameBytes = [...Buffer.from(title, 'utf8')];
    const content = title === 'name' && rng.chance(0.7) ? nameSection(rng) : randomBytes(rng, rng.int(20));
    s.splice(rng.int(s.length + 1), 0, { id: 0, content: Uint8Array.from([...uleb(nameBytes.length), ...nameBytes, ...content]) });
    return s;
  }],
  [1, (rng, s) => { // an unknown or reordered id
    if (s.length === 0) return s;
    const i = rng.int(s.length);
    s[i] = { id: rng.chance(0.5) ? rng.int(14) : rng.int(256), content: s[i]!.content };
    return s;
  }],
  [6, (rng, s) => { // edit inside one section, framing re-made
    if (s.length === 0) return s;
    const i = rng.int(s.length);
    const target = s[i]!;
    const content = target.id === 10 && rng.chance(0.7) ? editCode(rng, target.content) : byteEdit(rng, target.content);
    s[i] = { id: target.id, content };
    return s;
  }],
  [2, (rng, s) => { // change the count at the start of a section
    if (s.length === 0) return s;
    const i = rng.int(s.length);
    s[i] = { id: s[i]!.id, content: editLeb(rng, s[i]!.content.length > 0 ? s[i]!.content : Uint8Array.of(0)) };
    return s;
  }],
];

function nameSection(rng: Rng): number[] {
  const entries = Array.from({ length: rng.int(4) }, () => [...uleb(rng.weighted([[4, rng.int(8)], [1, rng.interestingU32()]])), ...uleb(rng.int(6)), ...randomBytes(rng, rng.int(6))]);
  const body = [...uleb(rng.chance(0.8) ? entries.length : rng.interestingU32()), ...entries.flat()];
  return [rng.pick([0, 1, 1, 2, 7]), ...uleb(rng.chance(0.8) ? body.length : rng.interestingU32()), ...body];
}

function byteEdit(rng: Rng, b: Uint8Array): Uint8Array {
  return rng.weighted<(rng: Rng, b: Uint8Array) => Uint8Array>([
    [2, flipBit],
    [3, setByte],
    [2, insertRun],
    [2, deleteRun],
    [1, duplicateRun],
    [3, editLeb],
    [1, truncate],
  ])(rng, b);
}

/** An edit in one function body: an instruction in or out, or a byte edit; sizes re-made. */
function editCode(rng: Rng, content: Uint8Array): Uint8Array {
  const bodies = splitBodies(content);
  if (bodies === undefined || bodies.length === 0) return byteEdit(rng, content);
  const i = rng.int(bodies.length);
  const body = bodies[i]!;
  const edits = rng.range(1, 3);
  let edited = body;
  for (let k = 0; k < edits; k++) {
    edited = rng.weighted<() => Uint8Array>([
      [5, () => splice(edited, rng.int(edited.length + 1), 0, instructionSnippet(rng))],
      [2, () => splice(edited, rng.int(edited.length), rng.range(1, 4), [])],
      [2, () => byteEdit(rng, edited)],
      [1, () => (rng.chance(0.5) ? edited.subarray(0, Math.max(0, edited.length - 1)) : concat([edited, [0x0b]]))],
    ])();
  }
  bodies[i] = edited;
  return joinBodies(bodies);
}

/** One mutation of `bytes`; `other` is a second module for splices. */
export function mutate(rng: Rng, bytes: Uint8Array, other: Uint8Array): Uint8Array {
  const kind = rng.weighted<string>([
    [6, 'section'],
    [10, 'byte'],
    [1, 'truncate'],
    [1, 'splice'],
  ]);
  if (kind === 'section') {
    const sections = splitSections(bytes);
    if (sections !== undefined) {
      const edit = rng.weighted(sectionEdits);
      return joinSections(edit(rng, [...sections], splitSections(other)));
    }
  }
  if (kind === 'truncate') return truncate(rng, bytes);
  if (kind === 'splice') return spliceBytes(rng, bytes, other);
  return byteEdit(rng, bytes);
}
