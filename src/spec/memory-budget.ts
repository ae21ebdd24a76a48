// How much linear memory each instance of a script may grow to, when all of them share one
// region. Pure: a function of the declared limits and the budget.
import type { Limits } from '../wasm/types.js';

/** Wasm 2.0's largest memory, in pages. */
const maxPages = 65536;

/**
 * Pages reserved for each memory, in request order: its minimum first (undefined when even
 * that no longer fits), then what is left of the budget shared out evenly ("water-filling") up to
 * each declared maximum. So a memory with a maximum that fits gets exactly it, and memories
 * without one get their minimum plus an equal share of the rest.
 */
export function allocateMemories(requests: readonly Limits[], budgetPages: number): (number | undefined)[] {
  let left = budgetPages;
  const pages = requests.map((r) => {
    if (r.min > left) return undefined;
    left -= r.min;
    return r.min;
  });
  const wants = requests.map((r, i) => (pages[i] === undefined ? 0 : Math.min(r.max ?? maxPages, maxPages) - r.min));
  for (;;) {
    const open = wants.flatMap((w, i) => (w > 0 ? [i] : []));
    if (open.length === 0 || left === 0) break;
    const share = Math.max(1, Math.floor(left / open.length));
    for (const i of open) {
      const give = Math.min(share, wants[i]!, left);
      pages[i] = pages[i]! + give;
      wants[i] = wants[i]! - give;
      left -= give;
      if (left === 0) break;
    }
  }
  return pages;
}
