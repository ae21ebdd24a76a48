import { relative, resolve } from 'node:path';
import { loadBoard } from '../../config/board.js';
import { createProject, defaultProjectName, projectTemplateNames } from '../../scaffold/new-project.js';
import type { Command } from '../command.js';
import { note } from '../output.js';
import { onlyPositional } from './shared.js';

export const newCommand: Command = {
  name: 'new',
  summary: 'start a project in a new folder: a host, a Wasm box, a native box, a README and a test',
  usage: '<dir> [--board BOARD] [--template NAME] [--name NAME]',
  details:
    'The project builds and runs as written: `cd <dir> && bento run <board>`, and `bento test`\n' +
    'checks its output. Templates: two-box (the host, a Wasm box and a native box) and host-only.',
  options: {
    board: { type: 'string', short: 'b', value: 'BOARD', description: 'the board the README, the tests and the examples name', default: 'm4' },
    template: { type: 'string', short: 't', value: 'NAME', description: 'what the project starts with', choices: projectTemplateNames(), default: 'two-box' },
    name: { type: 'string', value: 'NAME', description: "the project's name (default: the folder's)" },
  },
  positionals: 'files',
  async run(positionals, options) {
    const dir = onlyPositional(positionals, 'the folder to create', 'new');
    const boardName = options.board as string;
    const board = loadBoard(boardName);
    const name = (options.name as string | undefined) ?? defaultProjectName(dir);
    const files = createProject({ dir, name, board, boardName, template: options.template as string });
    for (const f of files) note(`  created ${f}`);
    const cd = relative(process.cwd(), resolve(dir)) || '.';
    console.log(`Created ${name} in ${cd}/ (template ${options.template}, board ${board.name}). Next:`);
    const steps = [`cd ${cd}`, `bento run ${boardName}`, 'bento test'];
    const why = ['', '# builds, then runs it on the emulator', '# checks its output against test/'];
    const width = Math.max(...steps.map((s) => s.length));
    steps.forEach((s, i) => console.log(`  ${why[i] ? `${s.padEnd(width)}  ${why[i]}` : s}`));
    return 0;
  },
};
