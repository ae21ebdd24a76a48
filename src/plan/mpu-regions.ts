import type { MemoryRegion } from '../config/board.js';
import { BentoError } from '../diagnostics/error.js';
import type { SourceLocation } from '../diagnostics/error.js';

/**
 * The MPU's rule for a region: PMSAv7 (ARMv7-M) regions are a power of two >= 32 bytes, aligned
 * to their size, and those of 256 bytes or more are eight subregions that can each be disabled,
 * so a block of whole eighths inside one region's aligned window is one region too; PMSAv8
 * (ARMv8-M) regions are any multiple of 32 bytes at a 32-byte boundary.
 */
export type RegionRule = 'pmsav7' | 'pmsav8';

/** A block of memory that must be one MPU region, sized and aligned by the board's RegionRule. */
export interface RegionRequest {
  name: string;
  /** Bytes needed; the region is the next power of two. */
  size: number;
  /**
   * The name of another request this region must lie wholly below. A box's RAM region lies below
   * its own linear memory: its stack sits at the region's bottom, so an overflow runs down out
   * of it, and must land in memory the box may not use (and fault), however far it reaches.
   */
  below?: string;
  /** Where the recipe asks for it, for the message when it does not fit. */
  location?: SourceLocation;
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

/** The smallest power of two >= 32 that holds `bytes`: a whole PMSAv7 region. */
export function powerOfTwoRegion(bytes: number): number {
  return 2 ** Math.max(5, Math.ceil(Math.log2(Math.max(bytes, 1))));
}

/** PMSAv7 regions below this size have no subregions. */
const subregionsFrom = 256;

/**
 * The block that holds `bytes`: on PMSAv7 whole subregions (eighths) of the smallest power-of-two
 * region that holds it, so at most an eighth of that region is lost to rounding (the whole region
 * below 256 bytes); on PMSAv8 the next multiple of 32. At least 32.
 */
export function mpuRegionSize(bytes: number, rule: RegionRule = 'pmsav7'): number {
  if (rule === 'pmsav8') return Math.max(32, Math.ceil(bytes / 32) * 32);
  const region = powerOfTwoRegion(bytes);
  if (region < subregionsFrom) return region;
  return Math.ceil(bytes / (region / 8)) * (region / 8);
}

/** The alignment a block of `size` bytes (an mpuRegionSize) needs: a subregion's on PMSAv7. */
export function mpuRegionAlignment(size: number, rule: RegionRule = 'pmsav7'): number {
  if (rule === 'pmsav8') return 32;
  const region = powerOfTwoRegion(size);
  return region < subregionsFrom ? region : region / 8;
}

/** The aligned window a PMSAv7 block must not cross: its region (one RBAR); none on PMSAv8. */
function mpuRegionWindow(size: number, rule: RegionRule): number {
  return rule === 'pmsav8' ? Infinity : powerOfTwoRegion(size);
}

/** Regions that overlap, as pairs of names: PMSAv8 faults on any access two regions hold. */
export function overlappingRegions(regions: readonly PlacedRegion[]): [string, string][] {
  const sorted = [...regions].sort((a, b) => a.origin - b.origin || a.name.localeCompare(b.name));
  const pairs: [string, string][] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j]!.origin < sorted[i]!.origin + sorted[i]!.size; j++) {
      pairs.push([sorted[i]!.name, sorted[j]!.name]);
    }
  }
  return pairs;
}

const kib = (n: number) => `${Math.round((n / 1024) * 10) / 10} KiB`;

/**
 * Places MPU regions at the top of a memory region, largest first (each then stays aligned to
 * its size as long as the top is), leaving the bottom for the host (vectors, its stack). A region
 * that must lie below another (`below`) is placed after it, even when it is larger, and then goes
 * under it; the space that leaves above it is a hole later, smaller regions fill, highest first.
 * Pure: the same requests always give the same plan.
 */
export function planTopRegions(memory: MemoryRegion, requests: readonly RegionRequest[], hostNeeds: number, rule: RegionRule = 'pmsav7'): RegionPlan {
  const floor = memory.origin + hostNeeds;
  // Free space, highest first; the last hole reaches down to the bottom of the memory.
  let holes: Hole[] = [{ origin: memory.origin, end: memory.origin + memory.size }];
  const placed: PlacedRegion[] = [];
  const order = placementOrder(requests, rule);
  for (const r of order) {
    const limit = r.below === undefined ? Infinity : placed.find((p) => p.name === r.below)!.origin;
    const at = highestFit(holes, r.size, { align: mpuRegionAlignment(r.size, rule), window: mpuRegionWindow(r.size, rule) }, limit, floor);
    if (at === undefined) {
      // What every region and the host take together, were they packed without holes.
      const needs = hostNeeds + order.reduce((n, o) => n + o.size, 0);
      const top = Math.min(limit, ...placed.map((p) => p.origin), memory.origin + memory.size);
      const left = Math.max(0, top - memory.origin - hostNeeds);
      const after = placed.length > 0 ? ` after ${placed.map((p) => p.name).join(', ')}` : '';
      throw new BentoError({
        code: 'B2001',
        message: `${r.name} needs ${kib(r.size)} of ${memory.name} (${rule === 'pmsav8' ? 'an MPU region of 32-byte granules' : 'an MPU region of power-of-two eighths'}), ${kib(left)} left${after} and ${kib(hostNeeds)} for the host: ${kib(needs)} in all, and ${memory.name} is ${kib(memory.size)}`,
        hint: 'shrink it, or the boxes placed before it (largest first)',
        ...(r.location ? { location: r.location } : {}),
        fit: { needs, has: memory.size },
      });
    }
    placed.push({ name: r.name, origin: at, size: r.size });
    holes = holes.flatMap((h) =>
      at >= h.origin && at < h.end
        ? [
            { origin: at + r.size, end: h.end },
            { origin: h.origin, end: at },
          ].filter((part) => part.end > part.origin)
        : [h],
    );
  }
  const lowest = Math.min(memory.origin + memory.size, ...placed.map((p) => p.origin));
  return { host: { origin: memory.origin, size: lowest - memory.origin }, regions: placed };
}

interface Hole {
  origin: number;
  end: number;
}

/**
 * Largest first (ties by name), except that a region which must lie below another comes right
 * after it: the other is placed first even when it is smaller, so there is a place to go under.
 */
export function placementOrder(requests: readonly RegionRequest[], rule: RegionRule = 'pmsav7'): RegionRequest[] {
  const sized = requests.map((r) => ({ ...r, size: mpuRegionSize(r.size, rule) }));
  const byName = new Map(sized.map((r) => [r.name, r]));
  const sorted = [...sized].sort((a, b) => b.size - a.size || a.name.localeCompare(b.name));
  const order: typeof sized = [];
  const visiting = new Set<string>();
  const visit = (r: (typeof sized)[number]): void => {
    if (order.includes(r)) return;
    if (visiting.has(r.name)) throw new Error(`regions must lie below each other in a cycle: ${[...visiting].join(', ')}`);
    visiting.add(r.name);
    if (r.below !== undefined) {
      const above = byName.get(r.below);
      if (!above) throw new Error(`region ${r.name} must lie below ${r.below}, which is not requested`);
      visit(above);
    }
    visiting.delete(r.name);
    order.push(r);
  };
  sorted.forEach(visit);
  return order;
}

/**
 * The highest origin aligned to `shape.align` where [origin, origin + size) lies in one hole and
 * inside one aligned `shape.window`, at or below `limit`, and not under `floor`.
 */
function highestFit(holes: readonly Hole[], size: number, shape: { align: number; window: number }, limit: number, floor: number): number | undefined {
  let best: number | undefined;
  for (const h of holes) {
    let origin = Math.floor((Math.min(h.end, limit) - size) / shape.align) * shape.align;
    // Crossing a window boundary: end the block at that boundary instead.
    if (Math.floor(origin / shape.window) !== Math.floor((origin + size - 1) / shape.window)) origin = Math.floor((origin + size) / shape.window) * shape.window - size;
    if (origin >= h.origin && origin >= floor && (best === undefined || origin > best)) best = origin;
  }
  return best;
}
