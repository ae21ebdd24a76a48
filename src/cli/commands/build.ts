import { relative } from 'node:path';
import { buildProject } from '../../build/build.js';
import { loadBoard } from '../../config/board.js';
import { loadRecipe } from '../../config/recipe.js';
import { formatUsage } from '../../link/size.js';
import type { Command } from '../command.js';
import { onlyPositional, progress } from './shared.js';

export const buildCommand: Command = {
  name: 'build',
  summary: 'build the project in this folder (bento.toml) for a board',
  usage: '<board> [--recipe FILE] [--werror]',
  details:
    'The board is a board file (boards/m4.toml) or the name of one bento ships (m4, m7).\n' +
    'Outputs go to build/<board>/: objects, link.ld, <name>.elf, .bin and .map, and\n' +
    'compile_commands.json for clangd.\n' +
    'Unchanged sources are not recompiled; warnings show when a file is compiled.',
  options: {
    recipe: { type: 'string', short: 'r', value: 'FILE', description: 'the recipe to build', default: 'bento.toml' },
    werror: { type: 'boolean', description: "compiler and linker warnings in the project's sources are errors (as werror = true in [host] and every box)" },
    app: { type: 'boolean', description: "link for the board's application slot, after its bootloader (into build/<board>-app/, with <name>.slot.bin for bento flash)" },
  },
  async run(positionals, options) {
    const board = loadBoard(onlyPositional(positionals, 'a board file', 'build'));
    const recipe = loadRecipe(options.recipe as string);
    const started = performance.now();
    console.error(`Building ${recipe.name} for ${board.name} (${board.description})`);
    const result = await buildProject(recipe, board, { onStep: progress, application: options.app === true, werror: options.werror === true });
    console.log(formatUsage(result.image.sizes));
    console.log(`${relative(process.cwd(), result.image.elf)} (${((performance.now() - started) / 1000).toFixed(2)} s)`);
    return 0;
  },
};
