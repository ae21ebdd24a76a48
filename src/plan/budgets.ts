// CPU budgets in the board's terms: each box's `budget` as ticks of SysTick on the core clock,
// checked against what the runtime can count. Pure; run before anything is compiled, so a
// budget the board cannot hold fails at once.
import type { Board } from '../config/board.js';
import type { RecipeBox } from '../config/recipe.js';
import { formatDuration } from '../config/schema.js';
import { BentoError } from '../diagnostics/error.js';

/** SysTick counts the core clock with a 32-bit budget (in 24-bit chunks) in the runtime. */
const maxBudgetTicks = 0xffffffff;

/** A box's budget in ticks of the board's core clock, rounded up: the box gets at least its time. */
export function budgetTicks(box: RecipeBox, board: Board): number | undefined {
  if (!box.budget) return undefined;
  const hz = board.cpu.clockHz;
  // In integers: nanoseconds times hertz passes 2^53 long before the limit.
  const ticks = Number((BigInt(box.budget.nanoseconds) * BigInt(hz) + 999_999_999n) / 1_000_000_000n);
  if (ticks > maxBudgetTicks) {
    throw new BentoError({
      code: 'B1004',
      message: `box ${box.name}: a budget of ${formatDuration(box.budget.nanoseconds)} is ${ticks} ticks of ${board.name}'s ${hz / 1e6} MHz core clock; at most ${maxBudgetTicks} (${formatDuration(Math.floor((maxBudgetTicks / hz) * 1e9))}) fit`,
      location: box.budget.location,
    });
  }
  return Math.max(ticks, 2);
}

/** Every box's budget in ticks, by box name (boxes without one are left out). */
export function planBudgets(boxes: readonly RecipeBox[], board: Board): ReadonlyMap<string, number> {
  const ticks = new Map<string, number>();
  for (const box of boxes) {
    const t = budgetTicks(box, board);
    if (t !== undefined) ticks.set(box.name, t);
  }
  return ticks;
}
