import { relative } from 'node:path';
import { buildProject } from '../../build/build.js';
import type { ProjectResult } from '../../build/build.js';
import { loadBoard } from '../../config/board.js';
import { loadRecipe } from '../../config/recipe.js';
import { partSizes } from '../../link/box-sizes.js';
import { formatUsage, usageLine } from '../../link/size.js';
import { formatPlan } from '../../plan/plan.js';
import type { Command } from '../command.js';
import { onlyPositional } from './shared.js';

const recipeOption = { recipe: { type: 'string' as const, short: 'r', value: 'FILE', description: 'the recipe', default: 'bento.toml' } };

async function quietBuild(positionals: string[], options: Record<string, string | boolean | undefined>, command: string): Promise<ProjectResult> {
  const board = loadBoard(onlyPositional(positionals, 'a board file', command));
  const recipe = loadRecipe(options.recipe as string);
  return buildProject(recipe, board);
}

/** Each part's code (share of the image's flash) and RAM (share of its region). */
export function formatParts(result: ProjectResult): string {
  const names = result.boxes.map((b) => b.box.name);
  const parts = partSizes(result.image.map, result.image.sizes, names);
  const lines = ['Per part (code after unused sections are dropped; RAM of each region):'];
  for (const part of parts) {
    const box = result.boxes.find((b) => b.box.name === part.name);
    const placed = result.plan?.boxes.find((b) => b.name === part.name);
    const label = box ? `box ${part.name} (${box.box.runtime}${box.box.runtime === 'wasm' ? `, ${box.box.bounds} bounds` : ''})` : 'host';
    lines.push(`  ${label}`);
    lines.push(`    ${usageLine('Flash:', part.code, result.image.sizes.flash)}`);
    const ramUsed = part.stack + part.data + part.bss + (box?.box.heap ?? 0);
    const ramTotal = placed?.ram.size ?? result.plan?.host.ram.size ?? result.image.sizes.ramTotal;
    lines.push(`    ${usageLine('RAM:', ramUsed, ramTotal)}: stack ${part.stack}, data ${part.data}, bss ${part.bss}${box?.box.heap ? `, heap ${box.box.heap}` : ''}`);
    if (placed?.memory) lines.push(`    Memory: ${placed.memory.size / 1024} KiB of linear memory`);
  }
  return lines.join('\n');
}

export const sizeCommand: Command = {
  name: 'size',
  summary: "show the image's memory use: the plan, and flash and RAM per box",
  usage: '<board> [--recipe FILE]',
  details: 'Builds first if anything changed (like `bento build`, quietly), then reports.',
  options: recipeOption,
  async run(positionals, options) {
    const result = await quietBuild(positionals, options, 'size');
    console.log(`${relative(process.cwd(), result.image.elf)}`);
    console.log(formatUsage(result.image.sizes));
    if (result.plan) {
      console.log('');
      console.log(formatPlan(result.plan));
    }
    console.log('');
    console.log(formatParts(result));
    return 0;
  },
};

export const planCommand: Command = {
  name: 'plan',
  summary: 'show where every box goes in memory and how many MPU regions it takes',
  usage: '<board> [--recipe FILE]',
  details: 'Compiles the boxes if needed (their sizes decide the plan), then prints the plan.',
  options: recipeOption,
  async run(positionals, options) {
    const result = await quietBuild(positionals, options, 'plan');
    console.log(result.plan ? formatPlan(result.plan) : 'This recipe has no boxes: the host has all of RAM.');
    return 0;
  },
};
