import type { Board } from '../config/board.js';
import { region } from '../config/board.js';
import { BentoError } from '../diagnostics/error.js';
import type { SourceLocation } from '../diagnostics/error.js';
import { hex32 } from '../glue/render.js';
import { mpuRegionSize, overlappingRegions, planTopRegions, powerOfTwoRegion } from './mpu-regions.js';
import type { PlacedRegion, RegionRequest, RegionRule } from './mpu-regions.js';

/** What one box needs, in bytes (measured or from the recipe). */
export interface BoxNeeds {
  name: string;
  /** Code and constants: reported, not an MPU region (code memory is readable by every box). */
  code: number;
  /** Its RAM region: stack, data, bss, heap. */
  ram: number;
  /** A Wasm box's linear memory, an MPU region of its own. */
  memory?: number;
  /** A Wasm box's native stack (part of `ram`) and where its size comes from, for the plan's text. */
  nativeStack?: { bytes: number; source: string };
  /** Where the recipe defines the box: a region that does not fit is reported there. */
  location?: SourceLocation;
}

export interface PlanInput {
  board: Board;
  host: { code: number; ram: number };
  boxes: readonly BoxNeeds[];
}

export interface BoxPlacement {
  name: string;
  code: number;
  ram: PlacedRegion;
  memory?: PlacedRegion;
  nativeStack?: BoxNeeds['nativeStack'];
}

export interface MemoryPlan {
  host: { code: number; ram: { origin: number; size: number } };
  boxes: readonly BoxPlacement[];
  /**
   * MPU regions in use while a box runs (the host's, plus the box with the most), of the board's.
   * On PMSAv8 boards also `saved`: the bytes of RAM the boxes' regions take less than they would
   * as power-of-two regions (what 32-byte granules save).
   */
  mpu: { used: number; available: number; saved?: number };
}

/** How the board's MPU shapes regions (a board without an MPU plans as PMSAv7 does). */
export function regionRule(board: Board): RegionRule {
  return board.mpu.kind === 'pmsav8' ? 'pmsav8' : 'pmsav7';
}

/** Regions the host keeps at all times: code memory read-only, the guard below its stack. */
export const hostMpuRegions = 2;

/**
 * Allocates every box's RAM (and a Wasm box's linear memory) as MPU regions (PMSAv7: naturally
 * aligned powers of two; PMSAv8: multiples of 32 bytes at 32-byte boundaries) at the top of the board's RAM, largest first but a Wasm box's RAM region always below
 * its linear memory (boxRegionRequests), leaving the bottom to the host, and checks the MPU
 * region count: the MPU is reloaded on every switch, so it is the box with the
 * most regions that counts. Pure.
 */
export function planMemory(input: PlanInput): MemoryPlan {
  const rule = regionRule(input.board);
  const requests = input.boxes.flatMap((b) => boxRegionRequests(b));
  const ram = planTopRegions(region(input.board, 'ram'), requests, input.host.ram, rule);
  const code = input.host.code + input.boxes.reduce((n, b) => n + b.code, 0);
  if (code > region(input.board, 'code').size) {
    throw new BentoError({
      code: 'B2001',
      message: `the image needs ${Math.ceil(code / 1024)} KiB of code memory (host ${Math.ceil(input.host.code / 1024)} KiB, ${input.boxes.map((b) => `box ${b.name} ${Math.ceil(b.code / 1024)} KiB`).join(', ')}), but ${input.board.name} has ${region(input.board, 'code').size / 1024} KiB`,
    });
  }
  const find = (name: string) => ram.regions.find((r) => r.name === name);
  const boxes = [...input.boxes]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((b) => ({ name: b.name, code: b.code, ram: find(`box ${b.name} RAM`)!, memory: find(`box ${b.name} linear memory`), ...(b.nativeStack ? { nativeStack: b.nativeStack } : {}) }));
  const perBox = Math.max(0, ...boxes.map((b) => 1 + (b.memory ? 1 : 0)));
  const available = input.board.mpu.kind === 'none' ? 0 : input.board.mpu.regions;
  const used = hostMpuRegions + perBox;
  if (input.boxes.length > 0 && used > available) {
    throw new BentoError({
      code: 'B2002',
      message: `a box needs ${perBox} MPU regions and the host ${hostMpuRegions}: ${used} in all, but ${input.board.name} has ${available}`,
      hint: available === 0 ? 'this board has no MPU: boxes need one' : undefined,
    });
  }
  if (rule === 'pmsav8') {
    // PMSAv8 faults on an address two regions hold: code memory, the host's RAM (with the stack
    // guard in it) and every box region must be disjoint. Placement guarantees it; check anyway.
    const code = region(input.board, 'code');
    const clash = overlappingRegions([{ name: 'code memory', origin: code.origin, size: code.size }, { name: 'host RAM', ...ram.host }, ...ram.regions]);
    if (clash.length > 0) throw new Error(`PMSAv8 regions overlap: ${clash.map(([a, b]) => `${a} and ${b}`).join(', ')}`);
    const saved = requests.reduce((n, r) => n + powerOfTwoRegion(r.size) - mpuRegionSize(r.size, 'pmsav8'), 0);
    return { host: { code: input.host.code, ram: ram.host }, boxes, mpu: { used, available, saved } };
  }
  return { host: { code: input.host.code, ram: ram.host }, boxes, mpu: { used, available } };
}

/**
 * A box's regions. A Wasm box's RAM region goes below its linear memory: its stack sits at the
 * bottom of the RAM region, so a stack overflow (which in `mpu` bounds only the MPU stops) runs
 * down out of the region, and must not run on into the linear memory, which the MPU grants the
 * box too. Below the RAM region there is then only another box's region or the host's RAM, so an
 * overflow faults however far down its first access lands.
 */
export function boxRegionRequests(b: BoxNeeds): RegionRequest[] {
  const ram = `box ${b.name} RAM`;
  const at = b.location ? { location: b.location } : {};
  if (b.memory === undefined) return [{ name: ram, size: b.ram, ...at }];
  const memory = `box ${b.name} linear memory`;
  return [
    { name: ram, size: b.ram, below: memory, ...at },
    { name: memory, size: b.memory, ...at },
  ];
}

const kib = (n: number) => `${(n / 1024).toFixed(1).replace(/\.0$/, '')} KiB`;

/** The plan as a table, for `bento plan` and `bento size`. */
export function formatPlan(plan: MemoryPlan): string {
  const row = (what: string, r: { origin: number; size: number }) => `  ${what.padEnd(28)} ${hex32(r.origin)}..${hex32(r.origin + r.size)}  ${kib(r.size).padStart(10)}`;
  const lines = ['Memory plan (RAM regions; code is shared read-only memory):', row('host RAM', plan.host.ram)];
  for (const b of plan.boxes) {
    lines.push(row(`box ${b.name} RAM`, b.ram));
    if (b.memory) lines.push(row(`box ${b.name} linear memory`, b.memory));
  }
  for (const b of plan.boxes) if (b.nativeStack) lines.push(`  box ${b.name} native stack: ${b.nativeStack.bytes} bytes of its RAM, ${b.nativeStack.source}`);
  if (plan.boxes.length > 0) lines.push(`  box code (compiled, before unused sections are dropped): ${plan.boxes.map((b) => `${b.name} ${kib(b.code)}`).join(', ')}`);
  lines.push(`  MPU regions: ${plan.mpu.used} of ${plan.mpu.available} while a box runs`);
  if (plan.mpu.saved !== undefined && plan.boxes.length > 0) {
    lines.push(`  PMSAv8 regions of 32-byte granules: ${kib(plan.mpu.saved)} (${plan.mpu.saved} bytes) less RAM than power-of-two regions`);
  }
  return lines.join('\n');
}
