// CPU budgets end to end on both boards (test/fixtures/boxes/budget), under -icount so that
// virtual time is instructions: endless loops in a Wasm and a native box come back as
// BENTO_E_BUDGET (-8) and the boxes restart, the host's time in gate calls and other boxes'
// time in nested calls through the host are not charged, boxes called straight are (the
// caller's loop of box calls ends within its budget, and the callee stopped for it is not
// charged a fault, even with a host interrupt in the boundary work), host interrupt handlers are not (a slow
// handler in a box's call does not end it), a box stopped mid-float leaves the host's
// FP registers alone, a budget longer than one 24-bit SysTick count, a budget the host's BASEPRI
// cannot hold off, hold and panic. The box must be stopped within a tick of its budget; the whole call (entering the box,
// the abort, its report lines on the UART) within 1 ms of it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bento, projectRoot } from '../support/cli.js';
import { normalise } from '../support/uart.js';

const dir = join(projectRoot, 'test/fixtures/boxes/budget');
const overrun = /stopped (\d+) ticks past its budget, returned (-?\d+) ticks past it/g;
/** Counter ticks (25 MHz) in 1 ms. */
const msTicks = 25000;

describe.each(['m4', 'm7'])('CPU budgets on %s', (board) => {
  it('abort endless loops with -8, charge each box only its own time, and end in a panic (exit 155)', async () => {
    const built = await bento(['build', board], dir);
    expect(built.code, built.stderr).toBe(0);
    const run = await bento(['run', board, '--icount', '--timeout', '120'], dir);
    const measured = [...run.stdout.matchAll(overrun)].map((m) => ({ stopped: Number(m[1]), returned: Number(m[2]) }));
    expect(measured).toHaveLength(5);
    for (const { stopped, returned } of measured) {
      expect(stopped).toBeLessThanOrEqual(1);
      expect(returned).toBeGreaterThanOrEqual(stopped);
      expect(returned).toBeLessThan(msTicks);
    }
    // boss's budget may run out while it or while the grinder it calls runs, as the instruction
    // counts of the moment decide: a grinder stopped for it is reported as not its fault, and
    // that is all (it has on-fault = "panic": a fault counted would stop the run).
    // The same holds for summer, called straight by hoarder 30 times as a host interrupt lands
    // at 30 moments around the end of hoarder's budget; the host's summary line is what counts.
    const callees = /^\[bento\] box (grinder|summer) .*\n/gm;
    for (const line of run.stdout.match(callees) ?? []) expect(line).toContain('stopped: the CPU budget of the box that called it ran out');
    const hoarder = /^\[bento\] box hoarder.*\n/gm;
    for (const line of run.stdout.match(hoarder) ?? []) expect(line).toMatch(/CPU budget (used up|exceeded \(-8\), restart)/);
    const text = normalise(run.stdout.replace(callees, '').replace(hoarder, '')).replace(overrun, 'stopped S ticks past its budget, returned R ticks past it');
    expect(text).toBe(readFileSync(join(dir, 'expected.txt'), 'utf8'));
    expect(run.code).toBe(155);
    expect(run.stderr).toContain('a box panicked');
  }, 240_000);
});
