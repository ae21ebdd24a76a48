// Heaps too small for the C library (issue 16, point 6). newlib-nano's printf takes its stdout
// buffer from malloc on the first call; with a heap that cannot hold it, malloc fails and
// newlib dereferences the NULL it got (a MemManage fault at address 0xc, in the middle of the
// first printf, which the host's runtime also uses for bento's own report lines). So heaps
// below what the library needs are refused here, at the recipe's line, with the number.
import type { Recipe } from '../config/recipe.js';
import { BentoError } from '../diagnostics/error.js';
import type { Diagnostic } from '../diagnostics/error.js';

/**
 * The host heap the first printf needs: newlib-nano's stdout buffer (BUFSIZ, 1024 bytes, as a
 * character device), malloc's header and alignment and the break's alignment, measured with
 * test/fixtures/heaps on the m4 (test/plan/heaps.test.ts, test/e2e/box-libc.test.ts).
 */
export const hostPrintfHeap = 1040;

/** The smallest heap a native box's "heap" service can hand out a block from: one header and an 8-byte payload. */
export const boxServiceHeap = 16;

/** Every heap of the recipe that is too small for the C library that uses it. Pure. */
export function heapProblems(recipe: Recipe): Diagnostic[] {
  const problems: Diagnostic[] = [];
  if (recipe.host.heap < hostPrintfHeap) {
    problems.push({
      code: 'B2001',
      message: `'host.heap' is ${recipe.host.heap} bytes, but newlib's printf needs ${hostPrintfHeap} bytes of heap for its first line (its stdout buffer); with less it faults at its first call, and bento's own report lines use it`,
      location: recipe.host.keyLocations.get('heap') ?? recipe.host.location,
      hint: `give host.heap at least ${hostPrintfHeap} bytes ("${Math.ceil(hostPrintfHeap / 1024) + 1} KiB" leaves room for the program's own malloc)`,
    });
  }
  for (const box of recipe.boxes) {
    if (box.runtime === 'native' && box.libc.includes('heap') && box.heap < boxServiceHeap) {
      problems.push({
        code: 'B2001',
        message: `box ${box.name}: its libc has "heap", but its heap is ${box.heap} bytes: malloc needs at least ${boxServiceHeap} for one block`,
        location: box.keyLocations.get('heap') ?? box.libcLocation ?? box.location,
        hint: `set box.${box.name}.heap to the bytes its mallocs need (at least ${boxServiceHeap}), or take "heap" out of its libc`,
      });
    }
  }
  return problems;
}

/** Throws every heap problem of the recipe at once. */
export function checkHeaps(recipe: Recipe): void {
  const problems = heapProblems(recipe);
  if (problems.length > 0) throw new BentoError(problems);
}
