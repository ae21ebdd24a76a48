// Device interrupts owned by boxes (box.<name>.interrupts), under --icount. On the emulated
// boards, lines raised by software: each box handler runs as a box call right after its top half,
// a trap in one restarts its box, a line raised while its own box runs waits for the call to
// return, a line the host disables meanwhile stays disabled, and a host handler's direct box call
// is refused with BENTO_E_CONTEXT. On the m4, CMSDK timers drive a native and a Wasm box while
// the host works (its float values kept through the boxes' handlers), a box held after its
// faults keeps its line masked, and a host handler that faults while a box runs is reported as
// the host's fault, not the box's.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bento, projectRoot } from '../support/cli.js';

const fixtures = join(projectRoot, 'test/fixtures/interrupts');

async function buildAndRun(fixture: string, board: string) {
  const dir = join(fixtures, fixture);
  const built = await bento(['build', board], dir);
  expect(built.code, built.stderr).toBe(0);
  expect(built.stderr, 'no compiler warnings').not.toMatch(/warning:/);
  return bento(['run', board, '--icount', '--timeout', '60'], dir);
}

// Spread across the boards rather than repeated: software-raised lines on five, timers on the m4
// (examples/sampling runs its timer on both MPS2 boards).
describe.each(['m7', 'm33', 'm55', 'stm32f405', 'lm3s6965'])('lines owned by boxes on %s', (board) => {
  it('run each box handler as a box call after its top half, with the box policy and waiting for a busy box', async () => {
    const run = await buildAndRun('box-soft', board);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('counter: 10 of 10 handled at once\n');
    // The third call traps: one restart, and the count of the new life (calls 4 and 5).
    expect(run.stdout).toContain('[bento] box wcounter aborted: unreachable (-17), restart 1 of 3 on its next call\n');
    expect(run.stdout).toContain('wcounter: state ready, faults 1, count 2\n');
    // Raised twice inside its own call: nothing ran then; both after (the second was latched
    // by the NVIC while the line was masked).
    expect(run.stdout).toContain('busy: 0 handled during its own call, 2 after it\n');
    // The host's bento_irq_disable wins over the runner's unmasking.
    expect(run.stdout).toContain('busy: raised then disabled during its call: handler ran 1 time(s) after it, line disabled, raised again: 0 run(s)\n');
    expect(run.stdout).toContain('host handler: its box call got -9 (no box can be entered from here');
    expect(run.stdout).toContain('counter now 11\n');
    expect(run.stdout).toContain('line 7: raised 11, handled 11, failed 0, last error 0\n');
    expect(run.stdout).toContain('line 6: raised 5, handled 5, failed 1, last error -17\n');
    expect(run.stdout).toContain('line 5: raised 3, handled 3, failed 0, last error 0\n');
  }, 180_000);
});

describe.each(['m4'])('timer lines owned by boxes on %s', (board) => {
  it('sample at the timers\' rate while the host works, mask the line of a box held dead, and blame a handler\'s fault on the host', async () => {
    const run = await buildAndRun('box-lines', board);
    const host = /host work: (\d+)\n/.exec(run.stdout);
    expect(host, run.stdout).not.toBeNull();
    const floats = /host floats: unchanged, with (\d+) runs of sampler's handler during them\n/.exec(run.stdout);
    expect(floats, run.stdout).not.toBeNull();
    expect(Number(floats![1])).toBeGreaterThanOrEqual(10);
    // Timer 0 every 2,000 ticks of 25 MHz (80,000 instructions): one sample each.
    const samples = Number(/sampler: (\d+) samples, state ready\n/.exec(run.stdout)?.[1]);
    const t0 = /TIMER0: raised (\d+), handled (\d+), failed 0, last error 0\n/.exec(run.stdout);
    expect(t0, run.stdout).not.toBeNull();
    expect(samples).toBeGreaterThanOrEqual(10);
    expect(Number(t0![1])).toBe(samples);
    expect(Number(t0![2])).toBe(samples);
    // wsampler traps on every fifth call of a life: restarted once, then held, its line masked.
    expect(run.stdout).toContain('[bento] box wsampler aborted: unreachable (-17), restart 1 of 1 on its next call\n');
    expect(run.stdout).toContain('[bento] box wsampler aborted: unreachable (-17), held: no restarts left\n');
    expect(run.stdout).toContain('TIMER1 line masked\n');
    expect(run.stdout).toContain('wsampler: state dead, faults 2\n');
    expect(run.stdout).toContain('TIMER1: raised 10, handled 10, failed 2, last error -17\n');
    // Through a long call into another box the line stays masked after its first interrupt.
    const slow = /during slow_churn \(its result, (\d+) timer periods\): TIMER0 raised (\d+), sampler ran (\d+) times by its return\n/.exec(run.stdout);
    expect(slow, run.stdout).not.toBeNull();
    const [periods, raised, ran] = slow!.slice(1).map(Number) as [number, number, number];
    expect(periods).toBeGreaterThanOrEqual(10);
    expect(raised).toBeGreaterThanOrEqual(1);
    expect(raised).toBeLessThanOrEqual(2);
    expect(ran).toBe(raised);
    // The host handler's MemManage fault ends the run as the host's: no box is aborted for it.
    expect(run.stdout).toContain('dual_isr interrupted box slow; now it faults\n');
    expect(run.stdout).toContain('*** bento: MemManage');
    expect(run.stdout).not.toMatch(/\[bento\] box slow/);
    expect(run.stdout).not.toContain('slow_churn returned');
    expect(run.code).toBe(151);
  }, 180_000);
});
