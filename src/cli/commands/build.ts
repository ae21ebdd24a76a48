import { relative } from 'node:path';
import { formatTotals } from '../../link/size-report.js';
import type { Command } from '../command.js';
import { currentVerbosity, note } from '../output.js';
import { buildForBoards, buildJson, printJson } from './project.js';
import { boardOption } from './shared.js';

const percent = (used: number, capacity: number) => `${((used / capacity) * 100).toFixed(1)}%`;

export const buildCommand: Command = {
  name: 'build',
  positionals: 'boards',
  summary: 'build the project in this folder (bento.toml) for one or more boards',
  usage: '<board>... [--recipe FILE] [--werror] [--json]',
  details:
    'A board is a board file (boards/m4.toml) or the name of one bento ships (m4, m7); several\n' +
    'boards build one after another (`bento build m4 m7`, or `--board m4,m7`).\n' +
    'Outputs go to build/<board>/ (build/<recipe>/<board>/ for a recipe other than bento.toml,\n' +
    'e.g. build/small-ram/m4/ for --recipe small-ram.toml): objects, link.ld, <name>.elf, .bin\n' +
    'and .map, and compile_commands.json for clangd. Warnings show when a file is compiled.\n' +
    'Unchanged sources are not recompiled; a build with nothing to do says so in one line.',
  options: {
    board: boardOption,
    recipe: { type: 'string', short: 'r', value: 'FILE', description: 'the recipe to build', default: 'bento.toml' },
    werror: { type: 'boolean', description: "compiler and linker warnings in the project's sources are errors (as werror = true in [host] and every box)" },
    app: { type: 'boolean', description: "link for the board's application slot, after its bootloader (into build/<board>-app/, with <name>.slot.bin for bento flash)" },
    json: { type: 'boolean', description: 'print what was built, with the sizes of every part, as JSON on stdout' },
  },
  async run(positionals, options) {
    const builds = await buildForBoards('build', positionals, options, { application: options.app === true, werror: options.werror === true });
    if (options.json) {
      printJson(builds.map(buildJson));
      return 0;
    }
    for (const b of builds) {
      const elf = relative(process.cwd(), b.result.image.elf);
      if (b.upToDate) {
        note(`${b.recipe.name} for ${b.board.name} is up to date: ${elf} (RAM ${percent(b.sizes.ram.used, b.sizes.ram.capacity)}, flash ${percent(b.sizes.flash.used, b.sizes.flash.capacity)})`);
        continue;
      }
      if (currentVerbosity() === 'quiet') continue;
      console.log(formatTotals(b.sizes));
      console.log(`${elf} (${b.seconds.toFixed(2)} s)`);
    }
    return 0;
  },
};
