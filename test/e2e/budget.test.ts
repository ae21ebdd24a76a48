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
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectBudgetRun, budgetFixture } from '../support/budget-run.js';
import { bento, projectRoot } from '../support/cli.js';

const dir = join(projectRoot, budgetFixture);
/** Counter ticks (25 MHz) in 1 ms. */
const msTicks = 25000;

describe.each(['m4', 'm7'])('CPU budgets on %s', (board) => {
  it('abort endless loops with -8, charge each box only its own time, and end in a panic (exit 155)', async () => {
    const built = await bento(['build', board], dir);
    expect(built.code, built.stderr).toBe(0);
    const run = await bento(['run', board, '--icount', '--timeout', '120'], dir);
    expectBudgetRun(run, dir, msTicks);
  }, 240_000);
});
