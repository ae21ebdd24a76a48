// Device interrupts given to boxes (box.<name>.interrupts) against the board and the recipe: a
// line the board names (or its number), one owner per line among boxes and host handlers, and a
// handler export of type fn() or fn() -> err; each problem at its place in bento.toml. And the
// generated table: a box's line goes to the runtime's top half, with the box's handler listed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/config/board.js';
import { loadRecipe } from '../../src/config/recipe.js';
import { BentoError } from '../../src/diagnostics/error.js';
import type { Diagnostic } from '../../src/diagnostics/error.js';
import { renderInterruptTable } from '../../src/glue/interrupts.js';
import { planInterrupts } from '../../src/plan/interrupts.js';
import { projectRoot } from '../support/cli.js';

const m4 = loadBoard('m4', projectRoot);

function recipe(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'bento-box-irq-'));
  writeFileSync(join(dir, 'bento.toml'), `name = "t"\n[host]\nsources = ["main.c"]\n\n${text}`);
  for (const f of ['main.c', 'a.c', 'b.c']) writeFileSync(join(dir, f), '');
  return loadRecipe(dir);
}

function plan(text: string) {
  const r = recipe(text);
  return planInterrupts(r.host.interrupts, m4, r.boxes);
}

function problems(text: string): Diagnostic[] {
  try {
    plan(text);
  } catch (err) {
    if (err instanceof BentoError) return [...err.diagnostics];
    throw err;
  }
  return [];
}

const sampler = `[box.a]
runtime = "native"
sources = ["a.c"]
interrupts = ["TIMER0"]
exports.TIMER0_IRQHandler = "fn()"
`;

describe('interrupts owned by boxes', () => {
  it('take the CMSIS handler name from a list, any export from a table, numbers too', () => {
    const p = plan(`${sampler}
[box.b]
runtime = "wasm"
sources = ["b.c"]
interrupts.TIMER1 = "on_tick"
interrupts.12 = "on_line"
exports.on_tick = "fn() -> err"
exports.on_line = "fn()"
`);
    expect(p.interrupts.map((i) => [i.irq, i.box, i.handler, i.fallible, i.priority])).toEqual([
      [8, 'a', 'TIMER0_IRQHandler', false, 255],
      [9, 'b', 'on_tick', true, 255],
      [12, 'b', 'on_line', false, 255],
    ]);
  });

  it('put the runtime top half in the table and list each box handler', () => {
    const text = renderInterruptTable({ plan: plan(sampler), inputs: ['bento.toml'] });
    expect(text).toContain('[8] = { bento_irq_defer, 0xff }, /* TIMER0: box a, its TIMER0_IRQHandler, priority 255 */');
    expect(text).toContain('{ 8u, &bento_box_a, bento_irq_call_a_TIMER0_IRQHandler }, /* TIMER0: box a, TIMER0_IRQHandler */');
    expect(text).toContain('const uint32_t bento_irq_deferred_count = 1;');
  });

  it('refuse a line the board does not name, with a did-you-mean', () => {
    const [p] = problems(sampler.replace('["TIMER0"]', '["TIMERO"]').replace('TIMER0_IRQHandler', 'TIMERO_IRQHandler'));
    expect(p!.message).toBe("'box.a.interrupts' names 'TIMERO', which is not an interrupt line of m4");
    expect(p!.hint).toBe("did you mean 'TIMER0'?");
    expect(p!.location).toMatchObject({ line: 8, column: 15 });
  });

  it('refuse a number past the NVIC', () => {
    const [p] = problems(`[box.a]\nruntime = "native"\nsources = ["a.c"]\ninterrupts = [32]\nexports.IRQ32_IRQHandler = "fn()"\n`);
    expect(p!.message).toBe("'box.a.interrupts' gives line 32, but m4 has interrupt lines 0..31");
  });

  it('refuse two boxes claiming one line, naming both', () => {
    const ps = problems(`${sampler}
[box.b]
runtime = "native"
sources = ["b.c"]
interrupts.TIMER0 = "tick"
exports.tick = "fn()"
`);
    expect(ps).toHaveLength(1);
    expect(ps[0]!.message).toBe('box b and box a both claim line 8 (TIMER0): a line has one owner');
    expect(ps[0]!.hint).toMatch(/^give the line to one of them; the other is at .*bento\.toml:8:15$/);
    expect(ps[0]!.location).toMatchObject({ line: 14 });
  });

  it('refuse a box and a host handler claiming one line, naming both', () => {
    const ps = problems(`[host.interrupts.t]\nirq = "TIMER0"\nhandler = "t_isr"\n\n${sampler}`);
    expect(ps).toHaveLength(1);
    expect(ps[0]!.message).toBe("box a and 'host.interrupts.t' both claim line 8 (TIMER0): a line has one owner");
  });

  it('refuse a handler the box does not export, or of another type', () => {
    const missing = problems(sampler.replace('exports.TIMER0_IRQHandler', 'exports.TIMER0_IRQhandler'));
    expect(missing[0]!.message).toBe("box a owns TIMER0, but exports no 'TIMER0_IRQHandler' to handle it");
    expect(missing[0]!.hint).toBe("did you mean 'TIMER0_IRQhandler'?");
    const typed = problems(sampler.replace('"fn()"', '"fn(u32 n) -> u32"'));
    expect(typed[0]!.message).toBe("box a: 'TIMER0_IRQHandler' handles TIMER0, so it takes nothing and returns nothing or an err, but it is fn(u32 n) -> u32");
    expect(typed[0]!.location).toMatchObject({ line: 9 });
  });
});
