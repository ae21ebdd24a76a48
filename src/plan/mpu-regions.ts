import type { MemoryRegion } from '../config/board.js';
import { BentoError } from '../diagnostics/error.js';

/** A block of RAM that must be one ARMv7-M MPU region: a power of two >= 32, aligned to its size. */
export interface RegionRequest {
  name: string;
  /** Bytes needed; the region is the next power of two. */
  size: number;
}

export interface PlacedRegion {
  name: string;
  origin: number;
  size: number;
}

export interface RegionPlan {
  /** What is left of the RAM region for the host, below the placed regions. */
  host: { origin: number; size: number };
  regions: readonly PlacedRegion[];
}

export function mpuRegionSize(bytes: number): number {
  return 2 ** Math.max(5, Math.ceil(Math.log2(Math.max(bytes, 1))));
}

/**
 * Places MPU regions at the top of a RAM region, largest first (each then stays aligned to its
 * size as long as the top is), leaving the bottom for the host: its stack sits at the very
 * bottom. Pure: the same requests always give the same plan.
 */
export function planTopRegions(ram: MemoryRegion, requests: readonly RegionRequest[], hostNeeds: number): RegionPlan {
  const sorted = [...requests].map((r) => ({ name: r.name, size: mpuRegionSize(r.size) })).sort((a, b) => b.size - a.size || a.name.localeCompare(b.name));
  let top = ram.origin + ram.size;
  const placed: PlacedRegion[] = [];
  for (const r of sorted) {
    const origin = Math.floor((top - r.size) / r.size) * r.size;
    placed.push({ name: r.name, origin, size: r.size });
    top = origin;
  }
  const host = { origin: ram.origin, size: top - ram.origin };
  if (host.size < hostNeeds) {
    const used = sorted.map((r) => `${r.name} ${r.size / 1024} KiB`).join(', ');
    throw new BentoError({
      code: 'B2001',
      message: `RAM does not fit: ${used} as MPU regions leave ${Math.max(0, host.size) / 1024} KiB of ${ram.size / 1024} KiB for the host, which needs ${Math.ceil(hostNeeds / 1024)} KiB`,
      hint: 'lower the memory limit or the stack size',
    });
  }
  return { host, regions: placed };
}
