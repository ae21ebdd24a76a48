// Heaps too small for the C library (issue 16, point 6). newlib-nano's first printf allocates
// the standard streams (__sinit) and then stdout's buffer from malloc; when the first malloc
// fails, newlib dereferences the NULL it got (a MemManage fault at address 0xc, in the middle of
// the first printf, which the host's runtime also uses for bento's own report lines). So host
// heaps below what the library needs are refused here, at the recipe's line, with the number.
import type { Recipe } from '../config/recipe.js';
import { BentoError } from '../diagnostics/error.js';
import type { Diagnostic } from '../diagnostics/error.js';

/**
 * The host heap newlib-nano's first printf needs without faulting: __sinit's allocation of the
 * three standard streams (436 bytes of break, measured with test/fixtures/heaps/host on m4,
 * m33, lm3s6965 and stm32f405: 434 faults in __sinit on the m4, lm3s6965 and stm32f405, and on
 * the m33, whose address 0xc is writable code memory, it corrupts memory silently instead).
 */
export const hostPrintfHeap = 436;

/**
 * The host heap with which stdout is also buffered: its 1024-byte buffer comes from malloc on
 * the first line (1468 bytes of break in all). With less, newlib writes stdout unbuffered, a
 * system call per byte: correct, but slow.
 */
export const bufferedPrintfHeap = 1468;

/** The smallest heap a native box's "heap" service can hand out a block from: one header and an 8-byte payload. */
export const boxServiceHeap = 16;

/** Every heap of the recipe that is too small for the C library that uses it. Pure. */
export function heapProblems(recipe: Recipe): Diagnostic[] {
  const problems: Diagnostic[] = [];
  if (recipe.host.heap < hostPrintfHeap) {
    problems.push({
      code: 'B2001',
      message: `'host.heap' is ${recipe.host.heap} bytes, but newlib's printf needs ${hostPrintfHeap} bytes of heap for its first line (the standard streams); with less it faults in its first call, and bento's own report lines use it`,
      location: recipe.host.keyLocations.get('heap') ?? recipe.host.location,
      hint: `give host.heap at least ${hostPrintfHeap} bytes, and ${bufferedPrintfHeap} or more for a buffered stdout (with less, stdout writes a byte at a time), plus what the program's own mallocs need`,
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
