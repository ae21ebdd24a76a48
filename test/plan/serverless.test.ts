// Serverless recipes: [function.<name>] becomes a Wasm box exporting handle() that the host imports,
// and the plan checks [serverless] against the board (its request UART, lines, deadlines in counter
// ticks), each mistake at its place in bento.toml.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/config/board.js';
import { loadRecipe } from '../../src/config/recipe.js';
import { BentoError } from '../../src/diagnostics/error.js';
import type { Diagnostic } from '../../src/diagnostics/error.js';
import { planServerless } from '../../src/plan/serverless.js';
import { projectRoot } from '../support/cli.js';

const m4 = loadBoard('m4', projectRoot);
const stm32 = loadBoard('stm32f405', projectRoot);
const lm3s = loadBoard('lm3s6965', projectRoot);

const fn = (name: string, extra = '') => `[function.${name}]\nsources = ["f.c"]\nexpected-execution = "100 us"\nrelative-deadline = "2 ms"\n${extra}\n`;

function write(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bento-sl-'));
  writeFileSync(join(dir, 'bento.toml'), `name = "t"\n[host]\nsources = ["main.c"]\n\n${body}`);
  writeFileSync(join(dir, 'main.c'), '');
  writeFileSync(join(dir, 'f.c'), '');
  return dir;
}

function problems(run: () => unknown): Diagnostic[] {
  try {
    run();
  } catch (err) {
    if (err instanceof BentoError) return [...err.diagnostics];
    throw err;
  }
  return [];
}

describe('serverless recipes', () => {
  it('make each function a Wasm box with handle(), imported by the host', () => {
    const recipe = loadRecipe(write(`[serverless]\nscheduler = "fifo"\n\n${fn('parse', 'instance = "warm"\nbudget = "1 ms"')}`));
    const box = recipe.boxes.find((b) => b.name === 'parse')!;
    expect(box.runtime).toBe('wasm');
    expect(box.bounds).toBe('software');
    expect([...box.exports.keys()]).toEqual(['handle']);
    expect(box.stack).toBe(256 + 256 + 2048);
    expect(box.function).toMatchObject({ route: 'parse', instance: 'warm', expectedNs: 100_000, deadlineNs: 2_000_000 });
    expect(recipe.host.imports.has('parse.handle')).toBe(true);
    expect(recipe.serverless).toMatchObject({ scheduler: 'fifo', utilisationPercent: 80, queue: 8 });
  });

  it('refuse times that cannot work, twin routes and a stack too small, at their lines', () => {
    const dir = write(
      [
        fn('a', 'route = "x"'),
        fn('b', 'route = "x"\nbudget = "50 us"'),
        '[function.c]\nsources = ["f.c"]\nexpected-execution = "3 ms"\nrelative-deadline = "2 ms"\nmax-request = 2048\nstack = "1 KiB"\n',
      ].join('\n'),
    );
    const found = problems(() => loadRecipe(dir)).map((d) => `${d.location?.line}: ${d.message}`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^15: functions a and b both serve route 'x'/),
        expect.stringMatching(/^16: function b: budget \(50 us\) is shorter than its expected-execution/),
        expect.stringMatching(/^20: function c: expected-execution \(3000 us\) is longer than its relative-deadline/),
        expect.stringMatching(/^23: function c: its stack \(1024 bytes\) cannot hold a request \(2048\)/),
      ]),
    );
  });

  it('find the request UART on the board, and say which when it is not there', () => {
    const plan = planServerless(loadRecipe(write(fn('a'))), m4)!;
    expect(plan.uart.name).toBe('UART1');
    expect(plan.interrupts.map((i) => i.irq)).toEqual(['UARTRX1', 'UARTTX1']);
    expect(plan.routes[0]).toMatchObject({ route: 'a', expectedTicks: 2500, deadlineTicks: 50_000 });
    expect(planServerless(loadRecipe(write(fn('a'))), stm32)!.uart.name).toBe('USART2');

    const typo = problems(() => planServerless(loadRecipe(write(`[serverless]\nuart = "UART2"\n${fn('a')}`)), m4));
    expect(typo[0]?.message).toMatch(/'serverless.uart' is 'UART2', which is not a UART of m4 \(it has UART1\)/);
    expect(typo[0]?.hint).toMatch(/did you mean 'UART1'/);
    expect(typo[0]?.location?.line).toBe(6);
    const none = problems(() => planServerless(loadRecipe(write(fn('a'))), lm3s));
    expect(none[0]?.message).toMatch(/board lm3s6965 has no UART for requests/);
  });

  it('refuse a deadline the board counter cannot order', () => {
    // QEMU's STM32 timer counts at 1 GHz: 2^30 ticks are 1.07 s.
    const dir = write(fn('slow', '').replace('relative-deadline = "2 ms"', 'relative-deadline = "2 s"'));
    const found = problems(() => planServerless(loadRecipe(dir), stm32));
    expect(found[0]?.message).toMatch(/relative-deadline 2000 ms is 2000000000 ticks of stm32f405's 1000000000 Hz counter/);
    expect(planServerless(loadRecipe(dir), m4)!.routes[0]!.deadlineTicks).toBe(50_000_000);
  });

  it('want a function for [serverless]', () => {
    const found = problems(() => loadRecipe(write('[serverless]\nqueue = 4\n')));
    expect(found[0]?.message).toMatch(/\[serverless\] is given but there is no \[function.<name>\]/);
  });
});
