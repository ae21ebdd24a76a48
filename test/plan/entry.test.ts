import { describe, expect, it } from 'vitest';
import { boxEntry } from '../../src/plan/entry.js';

describe('boxEntry', () => {
  it.each([
    ['wasm', 'software', 'direct'],
    ['wasm', 'mask', 'svc'],
    ['wasm', 'mpu', 'svc'],
    ['wasm', 'none', 'svc'],
    ['native', 'software', 'svc'],
  ] as const)('a %s box with %s bounds is entered through %s', (runtime, bounds, entry) => {
    expect(boxEntry({ runtime, bounds })).toBe(entry);
  });
});
