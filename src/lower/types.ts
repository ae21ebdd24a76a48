import type { Import, Limits } from '../wasm/types.js';

/** How a module's memory accesses are kept inside its linear memory. */
export type BoundsStrategy = 'software' | 'mask' | 'mpu' | 'none';
export const boundsStrategies: readonly BoundsStrategy[] = ['software', 'mask', 'mpu', 'none'];

/** Where an import comes from, decided by whoever links the instance (run-wasm, a recipe, the spec harness). */
export type ResolvedImport =
  /** A C function taking the calling instance first: `int32_t bento_wasi_fd_write(inst, ...)`. */
  | { kind: 'host-func'; symbol: string }
  /** A function of another compiled instance, called with the internal convention. */
  | { kind: 'wasm-func'; symbol: string }
  /** Another instance's global: the symbol of its storage. */
  | { kind: 'global'; symbol: string }
  | { kind: 'memory'; memorySymbol: string; instanceSymbol: string; reserve: number }
  | { kind: 'table'; symbol: string };

/** Entries the lowering gives a table: `reserve` past its minimum, but no more than its declared maximum. */
export function tableEntries(limits: Limits, reserve: number): number {
  return Math.max(limits.min, Math.min(limits.max ?? Infinity, limits.min + reserve));
}

export interface LowerOptions {
  /** Prefix of every symbol of this instance; unique per instance in an image. */
  prefix: string;
  bounds: BoundsStrategy;
  /** LLVM target triple. */
  triple: string;
  /** Bytes reserved for the linear memory: memory.grow fails past it. */
  memoryReserve: number;
  /** Entries reserved per table when the table declares no smaller maximum. */
  tableReserve: number;
  resolveImport(imp: Import): ResolvedImport;
  /**
   * 'external': the linear memory's storage is defined elsewhere (by glue that aligns it for an
   * MPU region) and only declared here. Default 'define'.
   */
  memoryStorage?: 'define' | 'external';
  /** Compare SP with the stack limit on function entry (default true; an MPU guard replaces it). */
  stackCheck?: boolean;
  /** Globals (by index) to keep as external symbols <prefix>_g<index> for glue to use, e.g. the shadow stack pointer. */
  externalGlobals?: readonly number[];
  /**
   * Float types the FPU moves itself. Their accesses whose alignment hint is natural become
   * VLDR/VSTR, which fault on an unaligned address; the runtime's UsageFault handler then
   * emulates the access (runtime-c/fault/unaligned.c), so Wasm's any-alignment rule still holds.
   * Other accesses go through integer registers (LDR/STR take any address). Default: neither.
   */
  fpuAccess?: { f32: boolean; f64: boolean };
}
