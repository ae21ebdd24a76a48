import { describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/config/board.js';
import type { Board } from '../../src/config/board.js';
import { BentoError } from '../../src/diagnostics/error.js';
import { mpuRegionSize, placementOrder, planTopRegions } from '../../src/plan/mpu-regions.js';
import type { PlacedRegion } from '../../src/plan/mpu-regions.js';
import { boxRegionRequests, formatPlan, planMemory } from '../../src/plan/plan.js';
import type { BoxNeeds } from '../../src/plan/plan.js';

const m4 = loadBoard('m4');
const KiB = 1024;

/** The M4 with a smaller RAM, as a real part would have. */
function withRam(size: number, origin = 0x2000_0000): Board {
  return { ...m4, memory: m4.memory.map((r) => (r.name === 'ram' ? { ...r, origin, size } : r)) };
}

function codeOf(err: unknown): string | undefined {
  return err instanceof BentoError ? err.code : undefined;
}

describe('mpuRegionSize', () => {
  it.each([
    [0, 32],
    [1, 32],
    [32, 32],
    [33, 64],
    [100, 128],
    // From 256 bytes on, whole eighths (subregions) of the power-of-two region that holds it.
    [300, 320],
    [4096, 4096],
    [5000, 5120],
    [16 * 1024 + 1, 20 * 1024],
    [3 * 1024 * 1024, 3 * 1024 * 1024],
  ])('%i bytes -> %i', (n, size) => expect(mpuRegionSize(n)).toBe(size));
});

describe('planTopRegions', () => {
  it('packs largest first from the top, each block aligned to its subregions and inside one region', () => {
    const ram = { name: 'ram', origin: 0x2000_0000, size: 256 * KiB, access: 'rw' };
    const plan = planTopRegions(ram, [
      { name: 'a', size: 3 * KiB },
      { name: 'b', size: 40 * KiB },
      { name: 'c', size: 100 },
    ], 16 * KiB);
    expect(plan.regions).toEqual([
      { name: 'b', origin: 0x2003_6000, size: 40 * KiB },
      { name: 'a', origin: 0x2003_5400, size: 3 * KiB },
      { name: 'c', origin: 0x2003_5380, size: 128 },
    ]);
    for (const r of plan.regions) expectOneRegion(r);
    expect(plan.host).toEqual({ origin: 0x2000_0000, size: 0x3_5380 });
  });

  it('moves a block down rather than let it cross its region\'s window', () => {
    const ram = { name: 'ram', origin: 0x2000_0000, size: 64 * KiB + 4 * KiB, access: 'rw' };
    const [r] = planTopRegions(ram, [{ name: 'x', size: 20 * KiB }], 0).regions;
    // 0x20011000 - 20 KiB would straddle 0x20010000; the block ends there instead.
    expect(r).toEqual({ name: 'x', origin: 0x2001_0000 - 20 * KiB, size: 20 * KiB });
  });

  it('keeps alignment when the region top is not aligned to the largest size', () => {
    const ram = { name: 'ram', origin: 0x2000_0000, size: 384 * KiB, access: 'rw' };
    const [r] = planTopRegions(ram, [{ name: 'big', size: 256 * KiB }], 0).regions;
    expect(r).toEqual({ name: 'big', origin: 0x2000_0000, size: 256 * KiB });
  });

  it('names what does not fit, with the numbers', () => {
    const ram = { name: 'ram', origin: 0x2000_0000, size: 128 * KiB, access: 'rw' };
    try {
      planTopRegions(ram, [{ name: 'box net RAM', size: 64 * KiB }, { name: 'box codec RAM', size: 56 * KiB }], 16 * KiB);
      expect.unreachable();
    } catch (err) {
      expect(codeOf(err)).toBe('B2001');
      expect((err as Error).message).toBe('box codec RAM needs 56 KiB of ram (an MPU region of power-of-two eighths), 48 KiB left after box net RAM and 16 KiB for the host: 136 KiB in all, and ram is 128 KiB');
      // The same numbers for tools (bento bench): both blocks as the MPU shapes them, and the host.
      expect((err as BentoError).diagnostics[0]!.fit).toEqual({ needs: 136 * KiB, has: 128 * KiB });
    }
  });
});

describe('placementOrder', () => {
  it.each([
    ['largest first, ties by name', [{ name: 'b', size: 100 }, { name: 'a', size: 4096 }, { name: 'c', size: 4096 }], ['a', 'c', 'b']],
    ['a region to go below a smaller one comes right after it', [{ name: 'ram', size: 128 * KiB, below: 'mem' }, { name: 'mem', size: 64 * KiB }, { name: 'x', size: 64 * KiB }], ['mem', 'ram', 'x']],
    ['and after an equal one whatever the names', [{ name: 'a', size: 64 * KiB, below: 'b' }, { name: 'b', size: 64 * KiB }], ['b', 'a']],
    ['a region to go below a larger one keeps its place', [{ name: 'ram', size: 8 * KiB, below: 'mem' }, { name: 'mem', size: 64 * KiB }], ['mem', 'ram']],
  ])('%s', (_what, requests, names) => expect(placementOrder(requests).map((r) => r.name)).toEqual(names));
});

/** A PMSAv7 block: whole subregions, inside the aligned window of the one region that holds it. */
function expectOneRegion(r: PlacedRegion): void {
  const region = 2 ** Math.max(5, Math.ceil(Math.log2(r.size)));
  const unit = region < 256 ? region : region / 8;
  expect(r.origin % unit).toBe(0);
  expect(r.size % unit).toBe(0);
  expect(Math.floor(r.origin / region)).toBe(Math.floor((r.origin + r.size - 1) / region));
}

/** Every block one PMSAv7 region, inside RAM, above the host, and no two overlapping. */
function expectSound(regions: readonly PlacedRegion[], host: { origin: number; size: number }, ram: { origin: number; size: number }): void {
  for (const r of regions) {
    expectOneRegion(r);
    expect(r.origin).toBeGreaterThanOrEqual(host.origin + host.size);
    expect(r.origin + r.size).toBeLessThanOrEqual(ram.origin + ram.size);
  }
  const sorted = [...regions].sort((a, b) => a.origin - b.origin);
  for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.origin).toBeGreaterThanOrEqual(sorted[i - 1]!.origin + sorted[i - 1]!.size);
}

describe('a Wasm box\'s RAM region lies below its own linear memory', () => {
  // [what, boxes, expected regions from the top of the M4's 4 MiB of RAM: name and size in KiB]
  const cases: [string, BoxNeeds[], [string, number][]][] = [
    ['memory larger than RAM: largest first as ever', [{ name: 'w', code: 0, ram: 8 * KiB, memory: 64 * KiB }], [['box w linear memory', 64], ['box w RAM', 8]]],
    ['memory as large as RAM', [{ name: 'w', code: 0, ram: 64 * KiB, memory: 64 * KiB }], [['box w linear memory', 64], ['box w RAM', 64]]],
    // The stack overflow of the review: RAM (a 64 KiB stack) larger than the memory, which
    // largest first put directly below it. Now the memory goes first and RAM under it.
    ['RAM larger than memory', [{ name: 'w', code: 0, ram: 65 * KiB, memory: 64 * KiB }], [['box w linear memory', 64], ['box w RAM', 80]]],
    [
      'the hole above a larger RAM region takes later, smaller regions',
      [
        { name: 'w', code: 0, ram: 65 * KiB, memory: 64 * KiB },
        { name: 'n', code: 0, ram: 32 * KiB },
        { name: 'v', code: 0, ram: 4 * KiB, memory: 64 * KiB },
      ],
      [['box w linear memory', 64], ['box v linear memory', 64], ['box w RAM', 80], ['box v RAM', 4], ['box n RAM', 32]],
    ],
    [
      'a native box is one region, with nothing to keep apart',
      [{ name: 'n', code: 0, ram: 100 * KiB }, { name: 'w', code: 0, ram: 4 * KiB, memory: 128 * KiB }],
      [['box w linear memory', 128], ['box n RAM', 112], ['box w RAM', 4]],
    ],
  ];

  it.each(cases)('%s', (_what, boxes, expected) => {
    const plan = planMemory({ board: m4, host: { code: KiB, ram: 64 * KiB }, boxes });
    const regions = plan.boxes.flatMap((b) => [{ ...b.ram, name: `box ${b.name} RAM` }, ...(b.memory ? [{ ...b.memory, name: `box ${b.name} linear memory` }] : [])]);
    const fromTop = [...regions].sort((a, b) => b.origin - a.origin);
    expect(fromTop.map((r) => [r.name, r.size / KiB])).toEqual(expected);
    expectSound(regions, plan.host.ram, { origin: 0x2000_0000, size: 4 * 1024 * KiB });
    for (const b of plan.boxes) {
      // Nothing the box may use lies anywhere below its RAM region.
      if (b.memory) expect(b.memory.origin).toBeGreaterThanOrEqual(b.ram.origin + b.ram.size);
    }
    // The host keeps everything below the lowest region.
    expect(plan.host.ram.origin + plan.host.ram.size).toBe(Math.min(...regions.map((r) => r.origin)));
  });

  it('asks for the RAM region below the memory', () => {
    expect(boxRegionRequests({ name: 'w', code: 0, ram: 1, memory: 2 })).toEqual([
      { name: 'box w RAM', size: 1, below: 'box w linear memory' },
      { name: 'box w linear memory', size: 2 },
    ]);
    expect(boxRegionRequests({ name: 'n', code: 0, ram: 1 })).toEqual([{ name: 'box n RAM', size: 1 }]);
  });

  it('says what does not fit when the hole above is too small', () => {
    try {
      planTopRegions({ name: 'ram', origin: 0x2000_0000, size: 256 * KiB, access: 'rw' }, [{ name: 'ram', size: 128 * KiB, below: 'mem' }, { name: 'mem', size: 64 * KiB }], 64 * KiB);
      expect.unreachable();
    } catch (err) {
      expect(codeOf(err)).toBe('B2001');
      expect((err as Error).message).toMatch(/^ram needs 128 KiB of ram/);
    }
  });
});

describe('planMemory', () => {
  it('places every box in RAM, sorted by name, and counts MPU regions of the box with the most', () => {
    const plan = planMemory({
      board: m4,
      host: { code: 64 * KiB, ram: 64 * KiB },
      boxes: [
        { name: 'ping', code: 10 * KiB, ram: 6 * KiB },
        { name: 'codec', code: 100 * KiB, ram: 20 * KiB, memory: 64 * KiB },
      ],
    });
    expect(plan.boxes.map((b) => [b.name, b.code, b.ram.size, b.memory?.size])).toEqual([
      ['codec', 100 * KiB, 20 * KiB, 64 * KiB],
      ['ping', 10 * KiB, 6 * KiB, undefined],
    ]);
    expect(plan.mpu).toEqual({ used: 4, available: 8 });
    // Largest first from the top of RAM: codec's memory, codec's RAM, then ping's RAM.
    expect(plan.boxes[0]!.memory!.origin).toBe(0x2040_0000 - 64 * KiB);
    expect(plan.boxes[0]!.ram.origin).toBe(0x2040_0000 - 84 * KiB);
    expect(plan.boxes[1]!.ram.origin).toBe(0x2040_0000 - 94 * KiB);
    expect(plan.host.ram).toEqual({ origin: 0x2000_0000, size: 4 * 1024 * KiB - 94 * KiB });
    expect(formatPlan(plan)).toContain('box codec linear memory');
  });

  it('refuses a box that needs more MPU regions than the board has', () => {
    const tiny = { ...m4, mpu: { kind: 'pmsav7' as const, regions: 3 } };
    try {
      planMemory({ board: tiny, host: { code: KiB, ram: KiB }, boxes: [{ name: 'w', code: KiB, ram: KiB, memory: 64 * KiB }] });
      expect.unreachable();
    } catch (err) {
      expect(codeOf(err)).toBe('B2002');
      expect((err as Error).message).toContain('4 in all, but m4 has 3');
    }
  });

  it('refuses an image whose code does not fit, naming each part', () => {
    try {
      planMemory({ board: m4, host: { code: 3 * 1024 * KiB, ram: KiB }, boxes: [{ name: 'fat', code: 2 * 1024 * KiB, ram: KiB }] });
      expect.unreachable();
    } catch (err) {
      expect(codeOf(err)).toBe('B2001');
      expect((err as Error).message).toContain('host 3072 KiB, box fat 2048 KiB');
    }
  });

  it('reports RAM exhaustion naming the box', () => {
    try {
      planMemory({ board: withRam(64 * KiB), host: { code: KiB, ram: 40 * KiB }, boxes: [{ name: 'big', code: KiB, ram: 30 * KiB }] });
      expect.unreachable();
    } catch (err) {
      expect(codeOf(err)).toBe('B2001');
      expect((err as Error).message).toMatch(/^box big RAM needs 32 KiB of ram/);
    }
  });
});
