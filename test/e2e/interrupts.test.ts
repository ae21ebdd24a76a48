// Host interrupt handlers named in the recipe (host.interrupts) on both boards, under --icount:
// CMSDK timer 0 (line 8) interrupts the host, a Wasm box and a native box in long loops, and
// the boxes' results are the host's; a line nobody declared still ends in the unexpected-
// exception report (exit 154); and the dispatcher's cost per interrupt, in instructions,
// against a vector table of the program's own whose vector is the handler itself.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/config/board.js';
import { bento, projectRoot } from '../support/cli.js';

const fixtures = join(projectRoot, 'test/fixtures/interrupts');
const latency = /latency: (\d+) interrupts; counter ticks in all: (\d+) through the dispatcher, (\d+) with the handler as the vector; from pend to handler: (\d+) and (\d+)/;

/**
 * Instructions the dispatcher adds to one interrupt, in all (entry and exit) and before the
 * handler runs (the entry latency): under --icount one instruction is 1 ns.
 */
function addedInstructions(stdout: string, board: string): { all: number; entry: number } {
  const m = latency.exec(stdout);
  expect(m, stdout).not.toBeNull();
  const [rounds, all, directAll, entry, directEntry] = m!.slice(1).map(Number) as [number, number, number, number, number];
  const perRound = (ticks: number) => (ticks * 1e9) / loadBoard(board, projectRoot).counter.hz / rounds;
  return { all: perRound(all - directAll), entry: perRound(entry - directEntry) };
}

function expectStrayReport(run: { code: number | null; stdout: string }) {
  expect(run.stdout).toContain('pending undeclared line 6\n');
  // Exception 22 is external line 6.
  expect(run.stdout).toContain('*** bento: unexpected exception (exception number 0x00000016)');
  expect(run.stdout).not.toContain('did not stop the program');
  expect(run.code).toBe(154);
}

describe.each(['m4', 'm7'])('host interrupts on %s', (board) => {
  it('run a timer handler from the host, at the recipe\'s priorities, and report an undeclared line', async () => {
    const dir = join(fixtures, 'host');
    const built = await bento(['build', board], dir);
    expect(built.code, built.stderr).toBe(0);
    const run = await bento(['run', board, '--icount', '--timeout', '60'], dir);
    expect(run.stdout).toContain('priorities: timer0 0x02, soft 0xff, SVCall 0x00, MemManage 0x00\n');
    expect(run.stdout).toContain('enabled at reset: 0x00000000\n');
    expect(run.stdout).toContain('timer0: 5 ticks\n');
    expect(run.stdout).not.toContain('taken');
    const added = addedInstructions(run.stdout, board);
    console.log(`${board}, no boxes: the dispatcher adds ${added.entry.toFixed(1)} instructions before the handler, ${added.all.toFixed(1)} in all`);
    // 13 of its own and the weak no-op bento_budget_irq_enter before; 3 and the no-op exit after.
    expect(Math.abs(added.entry - 14)).toBeLessThan(0.5);
    expect(Math.abs(added.all - 18)).toBeLessThan(0.01);
    expectStrayReport(run);
  }, 120_000);

  it('run the handler while boxes run long loops, leaving their results alone', async () => {
    const dir = join(fixtures, 'boxes');
    const built = await bento(['build', board], dir);
    expect(built.code, built.stderr).toBe(0);
    const run = await bento(['run', board, '--icount', '--timeout', '60'], dir);
    for (const call of ['host_churn', 'wasm_churn', 'native_churn']) {
      const m = new RegExp(`${call}\\(300000\\): the host's result, (\\d+) timer interrupts during the call, (\\d+) of them in a box`).exec(run.stdout);
      expect(m, run.stdout).not.toBeNull();
      const [during, boxed] = [Number(m![1]), Number(m![2])];
      expect(during).toBeGreaterThan(3);
      if (call === 'host_churn') expect(boxed).toBe(0);
      else expect(boxed).toBeGreaterThan(3);
    }
    expect(run.stdout).toContain('wcalc: ready, faults 0\nncalc: ready, faults 0\n');
    expect(run.stdout).not.toContain('aborted');
    const added = addedInstructions(run.stdout, board);
    // With boxes, box/budget.c's bento_budget_irq_enter and _exit run too.
    console.log(`${board}, with boxes: the dispatcher adds ${added.entry.toFixed(1)} instructions before the handler, ${added.all.toFixed(1)} in all`);
    expect(added.entry).toBeGreaterThan(13.5);
    expect(added.all).toBeGreaterThan(added.entry);
    expect(added.all).toBeLessThan(100);
    expectStrayReport(run);
  }, 240_000);
});

describe('host interrupts on stm32f405 (82 lines)', () => {
  it('run handlers of lines past 64, raised through NVIC_STIR and NVIC_ISPR, and report an undeclared one', async () => {
    // bento's vector table has a vector for each of the board's cpu.irqs (it had 64 before).
    const dir = join(fixtures, 'high-lines');
    const built = await bento(['build', 'stm32f405'], dir);
    expect(built.code, built.stderr).toBe(0);
    const run = await bento(['run', 'stm32f405', '--timeout', '60'], dir);
    // Priorities at reset reach past line 64 too: 2 and the lowest (15) in the top 4 bits.
    expect(run.stdout).toContain('lines: 82; priorities: line 81 0x20, line 70 0xf0\n');
    // IPSR 86 is exception 16 + 70.
    expect(run.stdout).toContain('line 70 through STIR: 1 (IPSR 86); line 81 through ISPR: 1\n');
    expect(run.stdout).toContain('pending undeclared line 80\n');
    // Exception 96 is external line 80.
    expect(run.stdout).toContain('*** bento: unexpected exception (exception number 0x00000060)');
    expect(run.stdout).not.toContain('did not stop the program');
    expect(run.code).toBe(154);
  });
});
