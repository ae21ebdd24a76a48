import type { Board } from '../config/board.js';
import { region } from '../config/board.js';
import { BentoError } from '../diagnostics/error.js';
import { hex32 } from '../glue/render.js';
import { planTopRegions } from './mpu-regions.js';
import type { PlacedRegion } from './mpu-regions.js';

/** What one box needs, in bytes (measured or from the recipe). */
export interface BoxNeeds {
  name: string;
  code: number;
  ram: number;
  /** A Wasm box's linear memory, when it is an MPU region of its own (mpu bounds). */
  memory?: number;
}

export interface PlanInput {
  board: Board;
  host: { code: number; ram: number };
  boxes: readonly BoxNeeds[];
}

export interface BoxPlacement {
  name: string;
  code: PlacedRegion;
  ram: PlacedRegion;
  memory?: PlacedRegion;
}

export interface MemoryPlan {
  host: { code: { origin: number; size: number }; ram: { origin: number; size: number } };
  boxes: readonly BoxPlacement[];
  /** MPU regions in use while a box runs (the host's, plus the biggest box's), of the board's. */
  mpu: { used: number; available: number };
}

/** Regions the host keeps at all times: code memory read-only, the guard below its stack. */
export const hostMpuRegions = 2;

/**
 * Allocates every box's code and RAM as naturally aligned power-of-two regions at the top of
 * the board's code and RAM, largest first, and checks the MPU region count. Pure.
 */
export function planMemory(input: PlanInput): MemoryPlan {
  const code = planTopRegions(
    region(input.board, 'code'),
    input.boxes.map((b) => ({ name: `box ${b.name} code`, size: b.code })),
    input.host.code,
  );
  const ram = planTopRegions(
    region(input.board, 'ram'),
    input.boxes.flatMap((b) => [{ name: `box ${b.name} RAM`, size: b.ram }, ...(b.memory ? [{ name: `box ${b.name} linear memory`, size: b.memory }] : [])]),
    input.host.ram,
  );
  const find = (regions: readonly PlacedRegion[], name: string) => regions.find((r) => r.name === name);
  const boxes = [...input.boxes]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((b) => ({
      name: b.name,
      code: find(code.regions, `box ${b.name} code`)!,
      ram: find(ram.regions, `box ${b.name} RAM`)!,
      memory: find(ram.regions, `box ${b.name} linear memory`),
    }));
  const perBox = Math.max(0, ...boxes.map((b) => 2 + (b.memory ? 1 : 0)));
  const available = input.board.mpu.kind === 'none' ? 0 : input.board.mpu.regions;
  const used = hostMpuRegions + perBox;
  if (input.boxes.length > 0 && used > available) {
    throw new BentoError({
      code: 'B2002',
      message: `a box needs ${perBox} MPU regions and the host ${hostMpuRegions}: ${used} in all, but ${input.board.name} has ${available}`,
      hint: available === 0 ? 'this board has no MPU: boxes need one' : 'use software bounds for Wasm boxes (their memory then lies inside the box RAM region)',
    });
  }
  return { host: { code: code.host, ram: ram.host }, boxes, mpu: { used, available } };
}

/** The plan as a table, for `bento plan` and `bento size`. */
export function formatPlan(plan: MemoryPlan): string {
  const row = (what: string, r: { origin: number; size: number }) => `  ${what.padEnd(28)} ${hex32(r.origin)}..${hex32(r.origin + r.size)}  ${String(r.size / 1024).padStart(7)} KiB`;
  const lines = ['Memory plan:', row('host code', plan.host.code), row('host RAM', plan.host.ram)];
  for (const b of plan.boxes) {
    lines.push(row(`box ${b.name} code`, b.code), row(`box ${b.name} RAM`, b.ram));
    if (b.memory) lines.push(row(`box ${b.name} linear memory`, b.memory));
  }
  lines.push(`  MPU regions: ${plan.mpu.used} of ${plan.mpu.available} while a box runs`);
  return lines.join('\n');
}
