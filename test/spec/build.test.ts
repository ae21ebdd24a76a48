// specLayout: how a spec image uses each board's memory. Linear memories go to a PSRAM where the
// board has one; elsewhere everything shares RAM, and the layout leaves the script what the
// stack, its guard, the heap and the runtime do not take.
import { describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/config/board.js';
import { specLayout } from '../../src/spec/build.js';

const KiB = 1024;

describe('specLayout', () => {
  it.each([
    ['m4', { memoryRegion: 'psram', stack: 512 * KiB, stackReserve: 64 * KiB, heap: 16 * KiB, spectestPages: 2, memoryBudget: { kind: 'region', pages: 253 } }],
    ['m55', { memoryRegion: 'psram', stack: 256 * KiB, stackReserve: 64 * KiB, heap: 16 * KiB, spectestPages: 2, memoryBudget: { kind: 'region', pages: 61 } }],
    ['stm32f405', { stack: 32 * KiB, stackReserve: 16 * KiB, heap: 4 * KiB, spectestPages: 0, memoryBudget: { kind: 'ram', bytes: 83 * KiB } }],
    ['lm3s6965', { stack: 16 * KiB, stackReserve: 8 * KiB, heap: 4 * KiB, spectestPages: 0, memoryBudget: { kind: 'ram', bytes: 35 * KiB } }],
  ] as const)('%s', (name, expected) => {
    expect(specLayout(loadBoard(name))).toEqual(expected);
  });

  it('leaves the stm32f405 room for one 64 KiB page, and the lm3s6965 none', () => {
    const pages = (name: string) => {
      const budget = specLayout(loadBoard(name)).memoryBudget;
      return budget.kind === 'ram' ? Math.floor(budget.bytes / 65536) : budget.pages;
    };
    expect(pages('stm32f405')).toBe(1);
    expect(pages('lm3s6965')).toBe(0);
  });

  it('keeps the guest a stack of its own above the reserve on every board', () => {
    for (const name of ['m4', 'm7', 'm33', 'm55', 'stm32f405', 'lm3s6965']) {
      const layout = specLayout(loadBoard(name));
      expect(layout.stack - layout.stackReserve, name).toBeGreaterThanOrEqual(8 * KiB);
    }
  });
});
