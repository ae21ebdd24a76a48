// The memory plan on PMSAv8 boards (ARMv8-M): regions are multiples of 32 bytes at 32-byte
// boundaries instead of naturally aligned powers of two, and must never overlap.
import { describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/config/board.js';
import { mpuRegionAlignment, mpuRegionSize, overlappingRegions, planTopRegions } from '../../src/plan/mpu-regions.js';
import { formatPlan, planMemory, regionRule } from '../../src/plan/plan.js';

const m33 = loadBoard('m33');
const m55 = loadBoard('m55');
const KiB = 1024;

describe('PMSAv8 region sizes', () => {
  it.each([
    [0, 32],
    [1, 32],
    [32, 32],
    [33, 64],
    [4096, 4096],
    [5000, 5024],
    [3 * 1024 * 1024, 3 * 1024 * 1024],
  ])('%i bytes -> %i', (n, size) => expect(mpuRegionSize(n, 'pmsav8')).toBe(size));

  it('aligns every region to 32 bytes, whatever its size', () => {
    expect(mpuRegionAlignment(64 * KiB, 'pmsav8')).toBe(32);
    // PMSAv7: a subregion's alignment; the block's window (its whole region) is kept by the plan.
    expect(mpuRegionAlignment(64 * KiB, 'pmsav7')).toBe(8 * KiB);
  });

  it('takes the rule from the board', () => {
    expect(regionRule(m33)).toBe('pmsav8');
    expect(regionRule(m55)).toBe('pmsav8');
    expect(regionRule(loadBoard('m4'))).toBe('pmsav7');
  });
});

describe('planTopRegions on PMSAv8', () => {
  const ram = { name: 'ram', origin: 0x3800_0000, size: 256 * KiB, access: 'rw' };

  it.each([
    {
      what: 'packs largest first from the top, rounded to 32 bytes, without holes',
      requests: [{ name: 'a', size: 3 * KiB }, { name: 'b', size: 40 * KiB }, { name: 'c', size: 100 }],
      regions: [
        { name: 'b', origin: 0x3803_6000, size: 40 * KiB },
        { name: 'a', origin: 0x3803_5400, size: 3 * KiB },
        { name: 'c', origin: 0x3803_5380, size: 128 },
      ],
      host: 0x3_5380,
    },
    {
      what: "puts a Wasm box's RAM region directly below its own linear memory, even when larger",
      requests: [{ name: 'box w RAM', size: 9000, below: 'box w linear memory' }, { name: 'box w linear memory', size: 8 * KiB }, { name: 'box n RAM', size: 20 * KiB }],
      regions: [
        { name: 'box n RAM', origin: 0x3803_b000, size: 20 * KiB },
        { name: 'box w linear memory', origin: 0x3803_9000, size: 8 * KiB },
        { name: 'box w RAM', origin: 0x3803_6cc0, size: 9024 },
      ],
      host: 0x3_6cc0,
    },
  ])('$what', ({ requests, regions, host }) => {
    const plan = planTopRegions(ram, requests, 16 * KiB, 'pmsav8');
    expect(plan.regions).toEqual(regions);
    for (const r of plan.regions) expect(r.origin % 32).toBe(0);
    expect(plan.host).toEqual({ origin: 0x3800_0000, size: host });
    expect(overlappingRegions(plan.regions)).toEqual([]);
  });

  it('says the region is of 32-byte granules when it does not fit', () => {
    expect(() => planTopRegions({ ...ram, size: 20 * KiB }, [{ name: 'box big RAM', size: 5000 }], 16 * KiB, 'pmsav8')).toThrow(
      /box big RAM needs 4\.9 KiB of ram \(an MPU region of 32-byte granules\), 4 KiB left/,
    );
  });
});

describe('overlappingRegions', () => {
  it.each([
    { regions: [{ name: 'a', origin: 0, size: 32 }, { name: 'b', origin: 32, size: 32 }], pairs: [] },
    { regions: [{ name: 'a', origin: 0, size: 64 }, { name: 'b', origin: 32, size: 32 }], pairs: [['a', 'b']] },
    { regions: [{ name: 'b', origin: 96, size: 32 }, { name: 'a', origin: 0, size: 128 }, { name: 'c', origin: 128, size: 32 }], pairs: [['a', 'b']] },
  ])('$pairs', ({ regions, pairs }) => expect(overlappingRegions(regions)).toEqual(pairs));
});

describe('planMemory on m33 and m55', () => {
  // examples/mixed: a native box (sensor) and a Wasm box (filter), with the sizes bento measures.
  const boxes = [
    { name: 'filter', code: 19 * KiB, ram: 8256, memory: 64 * KiB },
    { name: 'sensor', code: KiB, ram: 4160 },
  ];

  it('rounds box regions to 32 bytes and says what that saves against power-of-two regions', () => {
    const plan = planMemory({ board: m33, host: { code: 16 * KiB, ram: 64 * KiB }, boxes });
    expect(plan.boxes.map((b) => [b.name, b.ram.size, b.memory?.size])).toEqual([
      ['filter', 8256, 64 * KiB],
      ['sensor', 4160, undefined],
    ]);
    // Power-of-two: 16 KiB + 8 KiB for the two RAM regions; 32-byte granules: 8256 + 4160.
    expect(plan.mpu).toEqual({ used: 4, available: 16, saved: 16 * KiB + 8 * KiB - 8256 - 4160 });
    expect(plan.host.ram).toEqual({ origin: 0x3800_0000, size: 4 * 1024 * KiB - 64 * KiB - 8256 - 4160 });
    expect(formatPlan(plan)).toContain('PMSAv8 regions of 32-byte granules: 11.9 KiB (12160 bytes) less RAM than power-of-two regions');
  });

  it('keeps the Wasm box RAM region directly below its linear memory', () => {
    const plan = planMemory({ board: m55, host: { code: 16 * KiB, ram: 64 * KiB }, boxes });
    const filter = plan.boxes.find((b) => b.name === 'filter')!;
    expect(filter.ram.origin + filter.ram.size).toBe(filter.memory!.origin);
    expect(filter.memory!.origin + filter.memory!.size).toBe(0x3008_0000);
  });

  it('never lets a box region overlap the host RAM (the stack guard) or code memory', () => {
    const plan = planMemory({ board: m33, host: { code: 16 * KiB, ram: 3 * 1024 * KiB }, boxes });
    const regions = plan.boxes.flatMap((b) => [b.ram, ...(b.memory ? [b.memory] : [])]);
    expect(overlappingRegions([{ name: 'host', ...plan.host.ram }, { name: 'code', origin: 0x1000_0000, size: 4 * 1024 * KiB }, ...regions])).toEqual([]);
  });

  it('prints no saving on a PMSAv7 board', () => {
    const plan = planMemory({ board: loadBoard('m4'), host: { code: 16 * KiB, ram: 64 * KiB }, boxes });
    expect(plan.mpu).toEqual({ used: 4, available: 8 });
    expect(formatPlan(plan)).not.toContain('PMSAv8');
  });
});
