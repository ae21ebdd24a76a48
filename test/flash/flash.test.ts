import { describe, expect, it } from 'vitest';
import { An3155Client } from '../../src/flash/an3155.js';
import { flashImage } from '../../src/flash/flash.js';
import { BentoError } from '../../src/diagnostics/error.js';
import { SimDevice } from './sim-device.js';

const base = 0x0800_0000;
const page = 2048;
const slot = base + 0x4000;

function image(bytes: number, seed = 1): Uint8Array {
  let x = seed;
  return Uint8Array.from({ length: bytes }, () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 24));
}

const plan = (img: Uint8Array) => ({ address: slot, image: img, pageSize: page, pageBase: base, headerBytes: 256, verify: true, goAddress: slot });
const client = (dev: SimDevice) => new An3155Client(dev, { recoverMs: 1, timeoutMs: 10 });

describe('flashImage over AN3155', () => {
  it('erases, writes header page last, verifies and starts the image', async () => {
    const dev = new SimDevice(base, 0x10000, page, 0x4000);
    const img = image(5000);
    const r = await flashImage(client(dev), plan(img));
    expect(r).toMatchObject({ pagesTotal: 3, pagesWritten: 3, identity: { productId: 0x414, version: 0x22 } });
    expect(Buffer.from(dev.memory.subarray(0x4000, 0x4000 + img.length)).equals(Buffer.from(img))).toBe(true);
    expect(dev.log[0]).toBe('erase 8,9,10');
    const writes = dev.log.filter((l) => l.startsWith('write'));
    expect(writes.at(-8)).toBe('write 8004000 256'); // the header page's blocks come last
    expect(dev.log.at(-1)).toBe('go 8004000');
  });

  it('skips pages that already hold the image', async () => {
    const dev = new SimDevice(base, 0x10000, page, 0x4000);
    const img = image(6000);
    await flashImage(client(dev), plan(img));
    img[4500] = img[4500]! ^ 1;
    dev.log.length = 0;
    const r = await flashImage(client(dev), plan(img));
    expect(r.pagesWritten).toBe(1);
    expect(dev.log[0]).toBe('erase 10');
  });

  it('retries through a NACK storm, silence and corrupted data', async () => {
    const retries: string[] = [];
    const dev = new SimDevice(base, 0x10000, page, 0x4000, { nackCommands: 2, silentCommands: 1, corruptWrites: 2 });
    const img = image(3000);
    await flashImage(new An3155Client(dev, { recoverMs: 1, timeoutMs: 10, onRetry: (what) => retries.push(what) }), plan(img));
    expect(Buffer.from(dev.memory.subarray(0x4000, 0x4000 + img.length)).equals(Buffer.from(img))).toBe(true);
    expect(retries.length).toBeGreaterThanOrEqual(4);
  });

  it('gives up with a clear error when the target keeps refusing', async () => {
    const dev = new SimDevice(base, 0x10000, page, 0x4000, { nackCommands: 100 });
    const err = await flashImage(client(dev), plan(image(100))).catch((e) => e);
    expect(err).toBeInstanceOf(BentoError);
    expect((err as BentoError).code).toBe('B6007');
    expect((err as Error).message).toMatch(/^Get failed after 4 tries \(Get: NACK\) on sim$/);
  });

  it('says the target is silent when nothing answers', async () => {
    const dev = new SimDevice(base, 0x10000, page, 0x4000, { silentCommands: 100 });
    const err = await flashImage(client(dev), plan(image(100))).catch((e) => e);
    expect((err as BentoError).code).toBe('B6006');
  });
});

describe('slot images', () => {
  it('start with a header naming the image size and its CRC-32, or are the bare image without one', async () => {
    const { slotImage, crc32, APP_MAGIC } = await import('../../src/flash/app-image.js');
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const img = Uint8Array.from([1, 2, 3, 4, 5]);
    const slot = slotImage(img, 256);
    expect(slot.length).toBe(261);
    expect([slot.readUInt32LE(0), slot.readUInt32LE(4), slot.readUInt32LE(8)]).toEqual([APP_MAGIC, 5, crc32(img)]);
    expect(slot[16]).toBe(0xff);
    expect(slotImage(img, 0)).toEqual(Buffer.from(img));
  });
});
