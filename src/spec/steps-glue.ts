// The step table of a spec image (templates/spec-steps.c.hbs): a pure function of the steps.
import { basename } from 'node:path';
import { banner, renderTemplate } from '../glue/render.js';

export interface StepRow {
  command: number;
  /** An instantiation the C driver reports itself, or a generated command function. */
  kind: 'instantiate' | 'invoke';
  /** The function the step calls: an instance's init, or a command function of the driver. */
  run: string;
}

export function stepsView(wast: string, rows: readonly StepRow[], cwd = process.cwd()) {
  return {
    banner: banner([wast], cwd),
    script: basename(wast),
    functions: [...new Set(rows.map((r) => r.run))],
    steps: rows.map((r) => ({ command: r.command, kind: r.kind === 'instantiate' ? 'BENTO_SPEC_INSTANTIATE' : 'BENTO_SPEC_INVOKE', run: r.run })),
    count: rows.length,
  };
}

export function renderSteps(wast: string, rows: readonly StepRow[], cwd = process.cwd()): string {
  return renderTemplate('spec-steps.c.hbs', stepsView(wast, rows, cwd));
}
