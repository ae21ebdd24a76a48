// The host's interrupt table (templates/interrupts.c.hbs) from the interrupt plan: which handler
// bento's dispatcher runs for each NVIC line, and each line's priority byte.
import type { Board } from '../config/board.js';
import type { InterruptPlan } from '../plan/interrupts.js';
import { interruptCallSymbol } from './box-glue.js';
import { banner, renderTemplate } from './render.js';

export interface InterruptGlueInput {
  plan: InterruptPlan;
  /** runtime-c/irq/deferred.c is linked (boxes own lines, or serverless functions are preempted): its tables, empty if need be. */
  deferredRunner?: boolean;
  /** Every file the table derives from, named in its banner. */
  inputs: readonly string[];
}

/** The view model of templates/interrupts.c.hbs: a pure function of the plan, numbers formatted. */
export function interruptTableView(input: InterruptGlueInput) {
  const { plan } = input;
  return {
    banner: banner(input.inputs),
    lines: String(plan.lines),
    priorityBits: String(plan.priorityBits),
    priorityShift: String(8 - plan.priorityBits),
    handlers: [...new Set(plan.interrupts.filter((i) => !i.box).map((i) => i.handler))].sort(),
    interrupts: plan.interrupts.map((i) => ({
      irq: String(i.irq),
      // A box's line: the runtime's top half masks it and defers the box's handler.
      handler: i.box ? 'bento_irq_defer' : i.handler,
      owner: i.box ? `box ${i.box}, its ${i.handler}` : `host.interrupts.${i.name}`,
      nvicPriority: `0x${i.nvicPriority.toString(16).padStart(2, '0')}`,
      // The part's name for the line (TIMER0), so that the table reads like its vector table.
      line: i.lineNames.length > 0 ? i.lineNames.join(', ') : `line ${i.irq}`,
      priority: String(i.priority),
    })),
    boxes: [...new Set(plan.interrupts.flatMap((i) => (i.box ? [i.box] : [])))].sort(),
    deferredTables: input.deferredRunner === true || plan.interrupts.some((i) => i.box),
    deferred: plan.interrupts
      .filter((i) => i.box)
      .map((i) => ({ irq: String(i.irq), box: i.box!, handler: i.handler, call: interruptCallSymbol(i.box!, i.handler), line: i.lineNames.join(', ') })),
  };
}

/** build/<board>/glue/include/bento_irqs.h: BENTO_IRQ_<NAME> for every line the board names. */
export function renderIrqLinesHeader(board: Board, inputs: readonly string[]): string {
  return renderTemplate('irq-lines.h.hbs', {
    banner: banner(inputs),
    board: board.name,
    lines: [...board.interrupts].sort((a, b) => a.line - b.line || (a.name < b.name ? -1 : 1)).map((l) => ({ name: l.name.replace(/-/g, '_'), line: String(l.line) })),
  });
}

/** build/<board>/glue/interrupts.c. */
export function renderInterruptTable(input: InterruptGlueInput): string {
  return renderTemplate('interrupts.c.hbs', interruptTableView(input));
}
