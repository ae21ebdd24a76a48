import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildDir } from '../../build/build.js';
import { loadBoard } from '../../config/board.js';
import { loadRecipe } from '../../config/recipe.js';
import { fail } from '../../diagnostics/error.js';
import { describeExit } from '../../run/exit-codes.js';
import { runFirmware } from '../../run/qemu.js';
import type { Command } from '../command.js';
import { onlyPositional, seconds } from './shared.js';

export const runCommand: Command = {
  name: 'run',
  summary: 'run a firmware image on the board emulator and stream its UART',
  usage: '<firmware.elf> --board <board> | <board> [--recipe FILE]',
  details:
    'Given an ELF, runs it on --board. Given a board, runs the image `bento build <board>` made.\n' +
    "The UART goes to stdout and to a log file; bento exits with the firmware's exit code,\n" +
    '124 on a timeout, 150-154 on a fault (see README).',
  options: {
    board: { type: 'string', short: 'b', value: 'BOARD', description: 'board file or name, when running an ELF' },
    recipe: { type: 'string', short: 'r', value: 'FILE', description: 'recipe whose image to run', default: 'bento.toml' },
    timeout: { type: 'string', short: 't', value: 'SECONDS', description: 'stop the emulator after this long', default: '30' },
    icount: { type: 'boolean', description: 'deterministic time: one instruction = 1 ns of virtual time' },
    log: { type: 'string', value: 'FILE', description: 'where the UART log goes (default: beside the ELF, .uart.log)' },
  },
  async run(positionals, options) {
    const target = onlyPositional(positionals, 'a firmware ELF or a board', 'run');
    const isElf = target.endsWith('.elf') || (existsSync(target) && statSync(target).isFile() && !target.endsWith('.toml'));
    let elf: string;
    let board;
    if (isElf) {
      if (!options.board) fail('B9001', 'bento run <firmware.elf> needs --board', { hint: 'e.g. `bento run fw.elf --board boards/m4.toml`' });
      board = loadBoard(options.board as string);
      elf = resolve(target);
    } else {
      board = loadBoard(target);
      const recipe = loadRecipe(options.recipe as string);
      elf = join(buildDir(recipe, board), `${recipe.name}.elf`);
    }
    const timeoutSeconds = seconds(options.timeout, 'timeout', 30);
    const result = await runFirmware({
      elf,
      board,
      timeoutSeconds,
      icount: options.icount === true,
      logFile: (options.log as string | undefined) ?? elf.replace(/\.elf$/, '') + '.uart.log',
      onOutput: (chunk) => process.stdout.write(chunk),
      onEmulatorMessage: (text) => process.stderr.write(text),
    });
    // Keep bento's own closing line off the end of a last UART line that had no newline.
    if (result.output.length > 0 && !result.output.endsWith('\n')) process.stderr.write('\n');
    if (result.timedOut) {
      console.error(`bento: timeout: the firmware did not exit within ${timeoutSeconds} s; QEMU stopped (exit ${result.exitCode})`);
    } else if (result.exitCode !== 0) {
      const meaning = describeExit(result.exitCode);
      console.error(`bento: firmware exited with code ${result.exitCode}${meaning ? ` (${meaning})` : ''}`);
    }
    return result.exitCode;
  },
};
