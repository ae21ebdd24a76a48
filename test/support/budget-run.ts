// How a run of the budget fixture (test/fixtures/boxes/budget) is judged on any board: every
// call stopped by its budget within a tick of it and back within 1 ms; boxes called straight and
// stopped for their caller's budget reported as not their fault (grinder and summer, whose
// lines depend on where the instruction counts of the moment put the end of the budget);
// hoarder's 30 aborts; everything else exactly expected.txt; the panic at the end.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { CliResult } from './cli.js';
import { normalise } from './uart.js';

export const budgetFixture = 'test/fixtures/boxes/budget';
const overrun = /stopped (\d+) ticks past its budget, returned (-?\d+) ticks past it/g;

/** `msTicks`: the board's counter ticks in 1 ms. */
export function expectBudgetRun(run: CliResult, dir: string, msTicks: number): void {
  const measured = [...run.stdout.matchAll(overrun)].map((m) => ({ stopped: Number(m[1]), returned: Number(m[2]) }));
  expect(measured).toHaveLength(5);
  for (const { stopped, returned } of measured) {
    expect(stopped).toBeLessThanOrEqual(1);
    expect(returned).toBeGreaterThanOrEqual(stopped);
    expect(returned).toBeLessThan(msTicks);
  }
  const callees = /^\[bento\] box (grinder|summer) .*\n/gm;
  for (const line of run.stdout.match(callees) ?? []) expect(line).toContain('stopped: the CPU budget of the box that called it ran out');
  const hoarder = /^\[bento\] box hoarder.*\n/gm;
  for (const line of run.stdout.match(hoarder) ?? []) expect(line).toMatch(/CPU budget (used up|exceeded \(-8\), restart)/);
  const text = normalise(run.stdout.replace(callees, '').replace(hoarder, '')).replace(overrun, 'stopped S ticks past its budget, returned R ticks past it');
  expect(text).toBe(readFileSync(join(dir, 'expected.txt'), 'utf8'));
  expect(run.code).toBe(155);
  expect(run.stderr).toContain('a box panicked');
}
