import { describe, expect, it } from 'vitest';
import { allocateMemories } from '../../src/spec/memory-budget.js';

describe('allocateMemories', () => {
  it.each([
    ['nothing to share', [], 100, []],
    ['a maximum that fits is given exactly', [{ min: 1, max: 10 }], 100, [10]],
    ['no maximum takes the whole budget', [{ min: 0 }], 100, [100]],
    ['the rest is shared evenly', [{ min: 0 }, { min: 2 }], 100, [49, 51]],
    ['what a capped memory leaves goes to the others', [{ min: 1, max: 2 }, { min: 0 }, { min: 0 }], 100, [2, 49, 49]],
    ['a minimum that does not fit', [{ min: 60 }, { min: 50 }, { min: 1 }], 100, [80, undefined, 20]],
    ['an odd page left over is handed out too', [{ min: 0 }, { min: 0 }], 5, [3, 2]],
    ['never more than 65536 pages', [{ min: 0, max: 65536 }], 1 << 20, [65536]],
  ] as const)('%s', (_, requests, budget, expected) => {
    const pages = allocateMemories(requests, budget);
    expect(pages).toEqual(expected);
    expect(pages.reduce<number>((sum, p) => sum + (p ?? 0), 0)).toBeLessThanOrEqual(budget);
  });
});
