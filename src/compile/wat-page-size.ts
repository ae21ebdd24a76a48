// The text format's `(pagesize N)` on a memory (the custom-page-sizes proposal) for a wat2wasm
// that predates it (Debian 12's wabt 1.0.32): the annotation is taken out of the text before
// assembling, and the memory type in the binary then gets limits flag bit 3 and the exponent.
// Wasm 2.0 has one memory at most, so there is one memory type to patch.
import { BentoError } from '../diagnostics/error.js';
import { unsignedLeb128 } from '../wasm/leb.js';
import { Reader } from '../wasm/reader.js';

const annotation = /\(\s*pagesize\s+(0x[0-9a-f_]+|[0-9_]+)\s*\)/gi;

/** The text without its `(pagesize N)` annotations, and log2 of the page size, when one was given. */
export function takePageSize(text: string, file: string): { text: string; pageSizeLog2?: number } {
  const found = [...text.matchAll(annotation)];
  if (found.length === 0) return { text };
  const where = (index: number) => {
    const before = text.slice(0, index).split('\n');
    return { file, line: before.length, column: before.at(-1)!.length + 1 };
  };
  if (found.length > 1) throw new BentoError({ code: 'B3001', message: 'more than one (pagesize N): Wasm 2.0 allows one memory', location: where(found[1]!.index!) });
  const size = Number(found[0]![1]!.replaceAll('_', ''));
  // A page size that is no power of two is malformed, as the proposal's tests say.
  if (!Number.isSafeInteger(size) || size < 1 || (size & (size - 1)) !== 0) {
    throw new BentoError({ code: 'B3001', message: `invalid custom page size ${found[0]![1]}: a power of two (1 or 65536)`, location: where(found[0]!.index!) });
  }
  return { text: text.replace(annotation, ''), pageSizeLog2: Math.log2(size) };
}

/** Bytes of a memory type with the page-size flag and exponent added. */
function patchedMemType(r: Reader, pageSizeLog2: number): number[] {
  const flags = r.u8();
  const start = r.pos;
  r.u32();
  if (flags & 0x01) r.u32();
  return [flags | 0x08, ...r.bytes.subarray(start, r.pos), ...unsignedLeb128(pageSizeLog2)];
}

/** An import's descriptor (Wasm 2.0 kinds), with the page size added when it is a memory. */
function importDesc(r: Reader, pageSizeLog2: number): { bytes: number[]; memory: boolean } {
  const start = r.pos;
  const kind = r.u8();
  if (kind === 0x02) return { bytes: [kind, ...patchedMemType(r, pageSizeLog2)], memory: true };
  if (kind === 0x00) r.u32();
  else if (kind === 0x01) {
    r.u8();
    const flags = r.u8();
    r.u32();
    if (flags & 0x01) r.u32();
  } else r.pos += 2; // a global: value type and mutability
  return { bytes: [...r.bytes.subarray(start, r.pos)], memory: false };
}

/** The module with its memory type (an import, or in the memory section) declaring the page size. */
export function withPageSize(module: Uint8Array, pageSizeLog2: number, file: string): Uint8Array {
  const out: number[] = [...module.subarray(0, 8)];
  const r = new Reader(module, file);
  r.pos = 8;
  let patched = false;
  while (r.pos < module.length) {
    const id = r.u8();
    const size = r.u32();
    const end = r.pos + size;
    let contents: number[] = [...module.subarray(r.pos, end)];
    if (id === 2 || id === 5) {
      const count = r.u32();
      const items: number[] = [];
      for (let i = 0; i < count; i++) {
        if (id === 5) {
          items.push(...patchedMemType(r, pageSizeLog2));
          patched = true;
          continue;
        }
        const namesStart = r.pos;
        for (let name = 0; name < 2; name++) {
          const length = r.u32();
          r.pos += length;
        }
        items.push(...module.subarray(namesStart, r.pos));
        const desc = importDesc(r, pageSizeLog2);
        items.push(...desc.bytes);
        patched ||= desc.memory;
      }
      contents = [...unsignedLeb128(count), ...items];
    }
    out.push(id, ...unsignedLeb128(contents.length), ...contents);
    r.pos = end;
  }
  if (!patched) throw new BentoError({ code: 'B3001', message: '(pagesize N) given, but the module has no memory', location: { file } });
  return Uint8Array.from(out);
}
