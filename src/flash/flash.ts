import { BentoError } from '../diagnostics/error.js';
import { An3155Client, BLOCK } from './an3155.js';
import type { Identity } from './an3155.js';

export interface FlashPlan {
  /** Where the image goes, in the addresses the bootloader understands. */
  address: number;
  /** The bytes: for an application slot, its header block then the image. */
  image: Uint8Array;
  /** The bootloader's erase unit, and the address of page 0. */
  pageSize: number;
  pageBase: number;
  /** Bytes from the image's start that must be written last (the header that makes it bootable). */
  headerBytes: number;
  verify: boolean;
  /** Jump here when done, or not at all. */
  goAddress?: number;
}

export type Phase = 'checking' | 'erasing' | 'writing' | 'verifying';

export interface FlashReport {
  identity: Identity;
  pagesTotal: number;
  pagesWritten: number;
  bytesWritten: number;
  seconds: number;
}

export interface FlashCallbacks {
  onIdentity?: (id: Identity) => void;
  onProgress?: (phase: Phase, done: number, total: number) => void;
}

const pad = (data: Uint8Array, size: number) => {
  const out = new Uint8Array(size).fill(0xff);
  out.set(data);
  return out;
};

/**
 * Writes an image through the bootloader: compares each page with what the target holds and
 * erases and writes only the pages that differ; the page holding the header is erased first
 * and written last, so an interrupted flash leaves no bootable half-image; then verifies by
 * reading back, and starts the image.
 */
export async function flashImage(client: An3155Client, plan: FlashPlan, callbacks: FlashCallbacks = {}): Promise<FlashReport> {
  const started = Date.now();
  const identity = await client.connect();
  callbacks.onIdentity?.(identity);
  if ((plan.address - plan.pageBase) % plan.pageSize !== 0) throw new Error('internal: image not page aligned');
  const pageCount = Math.ceil(plan.image.length / plan.pageSize);
  const pages = Array.from({ length: pageCount }, (_, i) => ({
    index: (plan.address - plan.pageBase) / plan.pageSize + i,
    address: plan.address + i * plan.pageSize,
    data: pad(plan.image.subarray(i * plan.pageSize, (i + 1) * plan.pageSize), plan.pageSize),
  }));

  const changed = [];
  for (const [n, page] of pages.entries()) {
    callbacks.onProgress?.('checking', n, pages.length);
    if (!(await pageMatches(client, page.address, page.data))) changed.push(page);
  }
  callbacks.onProgress?.('checking', pages.length, pages.length);

  const headerPages = new Set(pages.filter((p) => p.address < plan.address + plan.headerBytes).map((p) => p.index));
  const last = changed.filter((p) => headerPages.has(p.index));
  const first = changed.filter((p) => !headerPages.has(p.index));
  if (changed.length > 0) {
    callbacks.onProgress?.('erasing', 0, changed.length);
    // The header's page goes first: from here on the old image is no longer bootable.
    await client.erasePages([...last, ...first].map((p) => p.index));
    callbacks.onProgress?.('erasing', changed.length, changed.length);
  }
  const total = changed.length * plan.pageSize;
  let written = 0;
  for (const page of [...first, ...last]) {
    for (let off = 0; off < plan.pageSize; off += BLOCK) {
      const block = page.data.subarray(off, off + BLOCK);
      // Erased flash already reads 0xFF: skip blocks with nothing else in them.
      if (block.some((b) => b !== 0xff)) await client.writeMemory(page.address + off, block);
      written += block.length;
      callbacks.onProgress?.('writing', written, total);
    }
  }

  if (plan.verify) {
    for (const [n, page] of changed.entries()) {
      callbacks.onProgress?.('verifying', n, changed.length);
      if (!(await pageMatches(client, page.address, page.data))) {
        throw new BentoError({ code: 'B6008', message: `verify failed: page ${page.index} at 0x${page.address.toString(16)} reads back different from what was written`, hint: 'run bento flash again; if it persists, the target memory may be protected or worn' });
      }
    }
    callbacks.onProgress?.('verifying', changed.length, changed.length);
  }
  if (plan.goAddress !== undefined) await client.go(plan.goAddress);
  return { identity, pagesTotal: pages.length, pagesWritten: changed.length, bytesWritten: total, seconds: (Date.now() - started) / 1000 };
}

async function pageMatches(client: An3155Client, address: number, data: Uint8Array): Promise<boolean> {
  for (let off = 0; off < data.length; off += BLOCK) {
    const want = data.subarray(off, off + BLOCK);
    const got = await client.readMemory(address + off, want.length);
    if (!got.equals(want)) return false;
  }
  return true;
}
