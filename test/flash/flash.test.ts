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

const pages = Array.from({ length: 32 }, (_, index) => ({ index, address: base + index * page, size: page }));
const plan = (img: Uint8Array) => ({ address: slot, image: img, units: pages, headerBytes: 256, verify: true, goAddress: slot });
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

// An STM32F405 through its ROM bootloader: 1 MiB in sectors of 16, 64 and 128 KiB, product 0x413.
describe('flashImage over a part\'s own sectors', () => {
  const sizes = [...Array(4).fill(16384), 65536, ...Array(7).fill(131072)] as number[];
  const sectors = sizes.map((size, index) => ({ index, address: base + sizes.slice(0, index).reduce((a, b) => a + b, 0), size }));
  const whole = (img: Uint8Array, productId?: number) => ({ address: base, image: img, units: sectors, productId, headerBytes: 8, verify: true, goAddress: base });

  it('erases the sectors the image covers, the first one first, writes it last, and starts the image', async () => {
    const dev = new SimDevice(base, 1 << 20, sizes, 0, {}, 0x413);
    const img = image(100 * 1024);
    const r = await flashImage(client(dev), whole(img, 0x413));
    expect(r).toMatchObject({ pagesTotal: 5, pagesWritten: 5, bytesWritten: 128 * 1024 });
    expect(Buffer.from(dev.memory.subarray(0, img.length)).equals(Buffer.from(img))).toBe(true);
    expect(dev.log[0]).toBe('erase 0,1,2,3,4');
    const writes = dev.log.filter((l) => l.startsWith('write'));
    expect(writes.at(-64)).toBe('write 8000000 256'); // sector 0's 64 blocks come last
    expect(dev.log.at(-1)).toBe('go 8000000');
  });

  it('erases big sectors in batches of at most 256 KiB', async () => {
    const dev = new SimDevice(base, 1 << 20, sizes, 0, {}, 0x413);
    await flashImage(client(dev), whole(image(600 * 1024)));
    expect(dev.log.filter((l) => l.startsWith('erase'))).toEqual(['erase 0,1,2,3,4,5', 'erase 6,7', 'erase 8']);
  });

  it('refuses another part before erasing anything', async () => {
    const dev = new SimDevice(base, 1 << 20, sizes, 0, {}, 0x421);
    const err = await flashImage(client(dev), whole(image(1000), 0x413)).catch((e) => e);
    expect((err as BentoError).code).toBe('B6011');
    expect((err as Error).message).toBe('the target reports product ID 0x0421, but the board file expects 0x0413: nothing was written');
    expect(dev.log).toEqual([]);
  });

  it('refuses an image longer than the flash', async () => {
    const dev = new SimDevice(base, 1 << 20, sizes, 0, {}, 0x413);
    const err = await flashImage(client(dev), whole(image((1 << 20) + 4))).catch((e) => e);
    expect((err as BentoError).code).toBe('B6009');
    expect(dev.log).toEqual([]);
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
