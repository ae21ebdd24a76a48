import type { EraseUnit } from '../config/bootloader.js';
import { BentoError } from '../diagnostics/error.js';
import { An3155Client, BLOCK } from './an3155.js';
import type { Identity } from './an3155.js';

export interface FlashPlan {
  /** Where the image goes, in the addresses the bootloader understands. */
  address: number;
  /** The bytes: for an application slot, its header block then the image. */
  image: Uint8Array;
  /** The target's erase units (pages or sectors), in order; the image starts on one. */
  units: readonly EraseUnit[];
  /** The product ID the target must report before anything is erased, when known. */
  productId?: number;
  /** Bytes from the image's start that must be written last (what makes it bootable). */
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

/** One Extended Erase covers at most this much flash, so its answer comes within its timeout. */
const eraseBatchBytes = 256 * 1024;
/** STM32F4/F7 take up to about 4 s for a 128-256 KiB sector: allow 40 ms a KiB, 500 ms at least. */
const eraseTimeoutMs = (bytes: number) => Math.max(500, (bytes / 1024) * 40);

/** The units the image covers, each with its share of the image padded with erased bytes. */
function imagePages(plan: FlashPlan) {
  const first = plan.units.findIndex((u) => u.address === plan.address);
  if (first < 0) throw new Error(`internal: image at 0x${plan.address.toString(16)} does not start on an erase unit`);
  const pages = [];
  for (let i = first, off = 0; off < plan.image.length; i++) {
    const unit = plan.units[i];
    if (!unit) throw new BentoError({ code: 'B6009', message: `the image (${plan.image.length} bytes) runs past the end of the target's flash` });
    pages.push({ ...unit, data: pad(plan.image.subarray(off, off + unit.size), unit.size) });
    off += unit.size;
  }
  return pages;
}

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
  if (plan.productId !== undefined && identity.productId !== plan.productId) {
    throw new BentoError({
      code: 'B6011',
      message: `the target reports product ID 0x${identity.productId.toString(16).padStart(4, '0')}, but the board file expects 0x${plan.productId.toString(16).padStart(4, '0')}: nothing was written`,
      hint: 'check the --port and the board given; its flash layout may differ from this part\'s',
    });
  }
  const pages = imagePages(plan);

  const changed = [];
  for (const [n, page] of pages.entries()) {
    callbacks.onProgress?.('checking', n, pages.length);
    if (!(await pageMatches(client, page.address, page.data))) changed.push(page);
  }
  callbacks.onProgress?.('checking', pages.length, pages.length);

  const headerPages = new Set(pages.filter((p) => p.address < plan.address + plan.headerBytes).map((p) => p.index));
  const last = changed.filter((p) => headerPages.has(p.index));
  const first = changed.filter((p) => !headerPages.has(p.index));
  // The header's page goes first: from here on the old image is no longer bootable.
  const order = [...last, ...first];
  for (let done = 0; done < order.length; ) {
    callbacks.onProgress?.('erasing', done, order.length);
    const batch = [order[done]!];
    while (done + batch.length < order.length && batch.length < 64 && sum(batch) + order[done + batch.length]!.size <= eraseBatchBytes) batch.push(order[done + batch.length]!);
    await client.erasePages(batch.map((p) => p.index), eraseTimeoutMs(sum(batch)));
    done += batch.length;
    if (done === order.length) callbacks.onProgress?.('erasing', done, order.length);
  }
  const total = sum(changed);
  let written = 0;
  for (const page of [...first, ...last]) {
    for (let off = 0; off < page.size; off += BLOCK) {
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

const sum = (units: readonly { size: number }[]) => units.reduce((n, u) => n + u.size, 0);

async function pageMatches(client: An3155Client, address: number, data: Uint8Array): Promise<boolean> {
  for (let off = 0; off < data.length; off += BLOCK) {
    const want = data.subarray(off, off + BLOCK);
    const got = await client.readMemory(address + off, want.length);
    if (!got.equals(want)) return false;
  }
  return true;
}
