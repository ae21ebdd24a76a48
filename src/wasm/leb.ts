/** Unsigned LEB128, the binary format's encoding of u32 (the decoder's reading is in reader.ts). */
export function unsignedLeb128(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}
