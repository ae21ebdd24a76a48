import { relative } from 'node:path';
import { formatPartReport, formatTotals } from '../../link/size-report.js';
import { formatPlan } from '../../plan/plan.js';
import type { Command } from '../command.js';
import { buildForBoards, buildJson, printJson } from './project.js';
import { boardOption } from './shared.js';

const projectOptions = {
  board: boardOption,
  recipe: { type: 'string' as const, short: 'r', value: 'FILE', description: 'the recipe', default: 'bento.toml' },
  json: { type: 'boolean' as const, description: 'the same numbers as JSON on stdout' },
  werror: { type: 'boolean' as const, description: 'compiler and linker warnings are errors, if it builds (as bento build --werror)' },
};

export const sizeCommand: Command = {
  name: 'size',
  positionals: 'boards',
  summary: "show the image's memory use: the plan, and flash and RAM per box",
  usage: '<board>... [--recipe FILE] [--json]',
  details:
    'Builds first if anything changed (like `bento build`), then reports. The parts add up to the\n' +
    "totals, and every share is of the board's capacity.",
  options: projectOptions,
  async run(positionals, options) {
    const builds = await buildForBoards('size', positionals, options, { werror: options.werror === true });
    if (options.json) {
      printJson(builds.map((b) => ({ ...buildJson(b), plan: b.result.plan ?? null })));
      return 0;
    }
    builds.forEach((b, i) => {
      if (i > 0) console.log('');
      console.log(`${relative(process.cwd(), b.result.image.elf)} (${b.board.name})`);
      console.log(formatTotals(b.sizes));
      if (b.result.plan) console.log(`\n${formatPlan(b.result.plan)}`);
      console.log(`\n${formatPartReport(b.sizes)}`);
    });
    return 0;
  },
};

export const planCommand: Command = {
  name: 'plan',
  positionals: 'boards',
  summary: 'show where every box goes in memory and how many MPU regions it takes',
  usage: '<board>... [--recipe FILE] [--json]',
  details: 'Compiles the boxes if needed (their sizes decide the plan), then prints the plan.',
  options: { ...projectOptions, json: { type: 'boolean', description: 'the plan as JSON on stdout (addresses and sizes in bytes)' } },
  async run(positionals, options) {
    const builds = await buildForBoards('plan', positionals, options, { werror: options.werror === true });
    if (options.json) {
      printJson(builds.map((b) => ({ board: b.board.name, name: b.recipe.name, plan: b.result.plan ?? null })));
      return 0;
    }
    builds.forEach((b, i) => {
      if (builds.length > 1) console.log(`${i > 0 ? '\n' : ''}${b.board.name}:`);
      console.log(b.result.plan ? formatPlan(b.result.plan) : 'This recipe has no boxes: the host has all of RAM.');
    });
    return 0;
  },
};
