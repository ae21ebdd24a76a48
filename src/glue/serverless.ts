// The serverless table (templates/serverless.c.hbs) from the serverless plan and the function
// boxes' objects (their symbol prefix and linear memory size).
import { requestUartHandler } from '../config/serverless.js';
import type { InterruptPlan } from '../plan/interrupts.js';
import type { ServerlessPlan } from '../plan/serverless.js';
import { banner, renderTemplate } from './render.js';

export interface ServerlessGlueInput {
  plan: ServerlessPlan;
  interrupts: InterruptPlan;
  /** Per function: the compiled module's symbol prefix and its linear memory's size. */
  boxes: ReadonlyMap<string, { prefix: string; memorySize: number }>;
  inputs: readonly string[];
}

export function renderServerlessTable(input: ServerlessGlueInput): string {
  const { plan } = input;
  const lines = input.interrupts.interrupts.filter((i) => i.handler === requestUartHandler).map((i) => String(i.irq));
  return renderTemplate('serverless.c.hbs', {
    banner: banner(input.inputs),
    counterHz: String(plan.counterHz),
    routes: plan.routes.map((r) => {
      const box = input.boxes.get(r.function);
      if (!box) throw new Error(`function ${r.function} has no compiled box`);
      return {
        ...r,
        routeLength: String(Buffer.byteLength(r.route)),
        fresh: r.instance === 'fresh' ? '1' : '0',
        prefix: box.prefix,
        memorySize: String(box.memorySize),
      };
    }),
    policy: plan.scheduler === 'edf' ? '0' : '1',
    scheduler: plan.scheduler.toUpperCase(),
    utilisationMilli: String(plan.utilisationMilli),
    queue: String(plan.queue),
    slotBytes: String(plan.slotBytes),
    uartName: plan.uart.name,
    lines,
  });
}
