// What a compiled object leaves undefined, sorted by who provides it: bento's runtime-c (copied
// with --runtime-dir), the firmware (imports, the trap hook's policy, the stack limit, external
// memory), or the C toolchain's libraries (libgcc's __aeabi_*, libc's memcpy, libm).
import { runTool } from '../toolchain/exec.js';
import type { WasmModule } from '../wasm/types.js';
import type { fpuAccess } from './wasm.js';

/** runtime-c sources defining what generated code calls, by symbol prefix. */
const runtimeSourceOf: readonly (readonly [RegExp, readonly string[]])[] = [
  [/^bento_wasm_trap$/, ['wasm/trap_entry.c', 'wasm/traps.c']],
  [/^bento_wasm_memory_/, ['wasm/bulk_memory.c', 'string/fast_mem.c']],
  [/^bento_mem(cpy|move|set)$/, ['string/fast_mem.c']],
  [/^bento_wasm_table_/, ['wasm/tables.c']],
  [/^bento_wasm_opaque_zero$/, ['wasm/opaque.c']],
];

export interface ObjectNeeds {
  /** runtime-c files (relative to runtime-c/) to compile with the object, sorted. */
  runtimeSources: string[];
  /** Symbols the firmware itself defines: imports, the stack limit, external memory. */
  firmware: string[];
  /** What libgcc, libc or libm provide (arm-none-eabi-gcc links them by default). */
  libraries: string[];
  /** True when the runtime's trap entry is linked: the firmware defines bento_wasm_on_trap. */
  trapHook: boolean;
}

/** The object's undefined symbols, as arm-none-eabi-nm lists them. */
export async function undefinedSymbols(object: string): Promise<string[]> {
  const { stdout } = await runTool('nm', ['-u', '--format=just-symbols', object], { doing: `listing the symbols ${object} needs` });
  return stdout.split('\n').map((s) => s.trim()).filter(Boolean).sort();
}

/** Sorts undefined symbols by who provides them; pure. */
export function classifyNeeds(symbols: readonly string[], prefix: string): ObjectNeeds {
  const sources = new Set<string>();
  const firmware: string[] = [];
  const libraries: string[] = [];
  for (const symbol of symbols) {
    const runtime = runtimeSourceOf.find(([pattern]) => pattern.test(symbol));
    if (runtime) runtime[1].forEach((f) => sources.add(f));
    else if (symbol.startsWith(`${prefix}_`) || symbol.startsWith('bento_')) firmware.push(symbol);
    else libraries.push(symbol);
  }
  return { runtimeSources: [...sources].sort(), firmware, libraries, trapHook: sources.has('wasm/trap_entry.c') };
}

/**
 * True when the object may make a float access that faults on an unaligned address: the FPU
 * moves that float type and the module has a load or store of it whose hint says naturally
 * aligned (src/lower/memory.ts, fpuMoves). Only then does the firmware need a UsageFault handler
 * that emulates it (runtime-c/fault/unaligned.c).
 */
export function mayFaultUnaligned(wasm: WasmModule, fpu: ReturnType<typeof fpuAccess>): boolean {
  const sizes: Record<string, { type: 'f32' | 'f64'; log2: number }> = {
    'f32.load': { type: 'f32', log2: 2 },
    'f32.store': { type: 'f32', log2: 2 },
    'f64.load': { type: 'f64', log2: 3 },
    'f64.store': { type: 'f64', log2: 3 },
  };
  return wasm.codes.some((code) =>
    code.body.some((instr) => {
      const access = sizes[instr.op];
      return access !== undefined && fpu[access.type] && instr.memarg!.align >= access.log2;
    }),
  );
}
