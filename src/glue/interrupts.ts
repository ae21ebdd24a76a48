// The host's interrupt table (templates/interrupts.c.hbs) from the interrupt plan: which handler
// bento's dispatcher runs for each NVIC line, and each line's priority byte.
import type { InterruptPlan } from '../plan/interrupts.js';
import { banner, renderTemplate } from './render.js';

export interface InterruptGlueInput {
  plan: InterruptPlan;
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
    handlers: [...new Set(plan.interrupts.map((i) => i.handler))].sort(),
    interrupts: plan.interrupts.map((i) => ({
      irq: String(i.irq),
      handler: i.handler,
      nvicPriority: `0x${i.nvicPriority.toString(16).padStart(2, '0')}`,
      // The part's name for the line (TIMER0), so that the table reads like its vector table.
      line: i.lineNames.length > 0 ? i.lineNames.join(', ') : `line ${i.irq}`,
      name: i.name,
      priority: String(i.priority),
    })),
  };
}

/** build/<board>/glue/interrupts.c. */
export function renderInterruptTable(input: InterruptGlueInput): string {
  return renderTemplate('interrupts.c.hbs', interruptTableView(input));
}
