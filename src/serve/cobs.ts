/**
 * Consistent Overhead Byte Stuffing (Cheshire and Baker): the encoded bytes hold no zero, so a
 * 0x00 always delimits a frame. A block of 254 non-zero bytes (code 0xFF) implies no zero after
 * it, and the encoder drops a last code that would only say "nothing more", as Wikipedia's does.
 */
export function cobsEncode(data: Uint8Array): Buffer {
  const out = Buffer.alloc(data.length + Math.ceil(data.length / 254) + 1);
  let codeAt = 0;
  let at = 1;
  let code = 1;
  for (let i = 0; i < data.length; i++) {
    const byte = data[i]!;
    if (byte !== 0) {
      out[at++] = byte;
      code++;
    }
    if (byte === 0 || code === 0xff) {
      out[codeAt] = code;
      code = 1;
      codeAt = at;
      // After a full block at the very end no code byte follows.
      if (byte === 0 || i + 1 < data.length) at++;
    }
  }
  if (codeAt < at) out[codeAt] = code;
  return out.subarray(0, at);
}

/** The decoded bytes, or undefined when `encoded` is no COBS (a zero inside, or a block that runs past the end). */
export function cobsDecode(encoded: Uint8Array): Buffer | undefined {
  const out = Buffer.alloc(encoded.length);
  let at = 0;
  let i = 0;
  let lastCode = 0xff;
  while (i < encoded.length) {
    const code = encoded[i++]!;
    if (code === 0 || i + code - 1 > encoded.length) return undefined;
    // Every block but the first, and but one after a full block, stands for a zero before it.
    if (lastCode !== 0xff) out[at++] = 0;
    for (let k = 1; k < code; k++) {
      const byte = encoded[i++]!;
      if (byte === 0) return undefined;
      out[at++] = byte;
    }
    lastCode = code;
  }
  return out.subarray(0, at);
}
