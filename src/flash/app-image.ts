import { readFileSync } from 'node:fs';
import type { Board } from '../config/board.js';
import { applicationSlot } from '../config/board.js';
import { fail } from '../diagnostics/error.js';
import { writeFileAtomic } from '../link/link.js';

/** "BNTO": the header that tells the bootloader a valid application is in its slot. */
export const APP_MAGIC = 0x4f544e42;

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32/IEEE (reflected, as zlib and the bootloader compute it). */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The slot's bytes: a header block (magic, size, CRC of the image) padded with 0xFF, then the image. */
export function slotImage(image: Uint8Array, headerBytes: number): Buffer {
  // No header: a ROM bootloader (ST's own) that boots the vector table at the slot's start.
  if (headerBytes === 0) return Buffer.from(image);
  const header = Buffer.alloc(headerBytes, 0xff);
  header.writeUInt32LE(APP_MAGIC, 0);
  header.writeUInt32LE(image.length, 4);
  header.writeUInt32LE(crc32(image), 8);
  header.writeUInt32LE(0, 12);
  return Buffer.concat([header, image]);
}

/** Writes <name>.slot.bin beside a .bin linked for the application slot, and checks it fits. */
export function writeSlotImage(board: Board, bin: string): { file: string; bytes: number } {
  const slot = applicationSlot(board);
  if (!slot) fail('B1004', `board ${board.name} has no [bootloader]`);
  const image = slotImage(readFileSync(bin), slot.header);
  if (image.length > slot.size) {
    fail('B6009', `the image needs ${image.length} bytes, but the application slot of ${board.name} holds ${slot.size}`);
  }
  const file = bin.replace(/\.bin$/, '.slot.bin');
  writeFileAtomic(file, image);
  return { file, bytes: image.length };
}
