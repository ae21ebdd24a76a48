import type { MemoryRegion } from '../config/board.js';
import { BentoError } from '../diagnostics/error.js';

/** A block of memory that must be one ARMv7-M MPU region: a power of two >= 32, aligned to its size. */
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
  /** What is left of the memory region for the host, below the placed regions. */
  host: { origin: number; size: number };
  regions: readonly PlacedRegion[];
}

export function mpuRegionSize(bytes: number): number {
  return 2 ** Math.max(5, Math.ceil(Math.log2(Math.max(bytes, 1))));
}

const kib = (n: number) => `${Math.round((n / 1024) * 10) / 10} KiB`;

/**
 * Places MPU regions at the top of a memory region, largest first (each then stays aligned to
 * its size as long as the top is), leaving the bottom for the host (vectors, its stack). Pure:
 * the same requests always give the same plan.
 */
export function planTopRegions(memory: MemoryRegion, requests: readonly RegionRequest[], hostNeeds: number): RegionPlan {
  const sorted = requests.map((r) => ({ name: r.name, size: mpuRegionSize(r.size) })).sort((a, b) => b.size - a.size || a.name.localeCompare(b.name));
  let top = memory.origin + memory.size;
  const placed: PlacedRegion[] = [];
  for (const r of sorted) {
    const origin = Math.floor((top - r.size) / r.size) * r.size;
    if (origin < memory.origin + hostNeeds) {
      const left = Math.max(0, top - memory.origin - hostNeeds);
      const after = placed.length > 0 ? ` after ${placed.map((p) => p.name).join(', ')}` : '';
      throw new BentoError({
        code: 'B2001',
        message: `${r.name} needs ${kib(r.size)} of ${memory.name} (a power-of-two MPU region), ${kib(left)} left${after} and ${kib(hostNeeds)} for the host`,
        hint: 'shrink it, or the boxes placed before it (largest first)',
      });
    }
    placed.push({ name: r.name, origin, size: r.size });
    top = origin;
  }
  return { host: { origin: memory.origin, size: top - memory.origin }, regions: placed };
}
