import type { Board } from '../config/board.js';
import { fpuAccess } from './wasm.js';

/**
 * The most native stack each function outside a compiled Wasm module may take when the module
 * calls it, itself and everything it calls, in bytes. These are allowances, not measurements of
 * each build: test/e2e/native-stack.test.ts reads every one the examples link from their images'
 * code and fails if one takes more (libgcc's hand-written helpers jump between entry points, so
 * the check adds up every frame they reach: 96 bytes for __aeabi_dadd, whose deepest path takes
 * 12). A module calling anything not listed here has no measured native stack (the box keeps its
 * recipe's `stack`).
 */
export const helperStacks: readonly { pattern: RegExp; bytes: number; what: string }[] = [
  { pattern: /^bento_wasm_trap$/, bytes: 16, what: 'the trap entry: bento_wasm_on_trap, which aborts the box through an SVC' },
  { pattern: /^bento_wasm_(memory|table)_(grow|fill|copy|init|reset)$/, bytes: 48, what: 'bulk memory and table helpers (runtime-c/wasm), with the block copies they call (28 bytes)' },
  { pattern: /^bento_mem(cpy|move|set)$/, bytes: 56, what: 'the block copies of runtime-c/string (r4-r10 pushed; memmove branches to memcpy, so both frames are counted)' },
  { pattern: /^(memcpy|memmove|memset|__aeabi_mem(cpy|cpy4|cpy8|move|move4|move8|set|set4|set8|clr|clr4|clr8))$/, bytes: 16, what: "newlib's string functions" },
  {
    pattern: /^__aeabi_[a-z0-9]+$|^__(add|sub|mul|div|neg|fix|fixuns|float|floatun|extend|trunc|cmp|eq|ne|lt|le|gt|ge|unord)[sdt]f[0-9]$|^__(u?div|u?mod|u?divmod)[sd]i[34]$/,
    bytes: 96,
    what: "libgcc's integer division and soft-float helpers",
  },
];

/** What an entry stub of the box's glue takes around its call of an export (runtime-c's bento_box_frame starts it). */
export const entryGlueBytes = 16;

/** What a gate of the box's glue takes: an SVC (a WASI function or an import), or a call of bento_box_abort (__box_abort). */
export const gateStackBytes = 8;

/** The stack a helper outside the module may take, or undefined. `prefix` names the box's gates. */
export function helperStack(symbol: string, prefix: string): number | undefined {
  // Gates to WASI and imports are the box's glue: an SVC, whose exception frame the boundary allows for.
  if (symbol.startsWith(`${prefix}_wasi_`) || symbol.startsWith(`${prefix}_import_`)) return gateStackBytes;
  return helperStacks.find((h) => h.pattern.test(symbol))?.bytes;
}

/**
 * The exception frame any exception taken while the box runs pushes on its stack (an interrupt,
 * a gate's SVC, a fault): a box always runs with its FP context active, so on a core with an FPU
 * that is the extended frame of 26 words (runtime-c/box/svc.c), else 8; plus a word of padding
 * to 8-byte alignment. Exceptions taken in a handler stack on the main stack, never here.
 */
export function exceptionFrameBytes(board: Board): number {
  return ((fpuAccess(board).f32 ? 26 : 8) + 1) * 4;
}
