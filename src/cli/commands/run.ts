import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildDir, buildProject } from '../../build/build.js';
import { applicationSlot, loadBoard } from '../../config/board.js';
import { buildBootloader } from '../../flash/bootloader-build.js';
import { loadRecipe } from '../../config/recipe.js';
import { fail } from '../../diagnostics/error.js';
import { describeExit } from '../../run/exit-codes.js';
import { explainFault } from '../../run/explain-fault.js';
import { gdbCommandLine } from '../../run/gdb.js';
import { formatProfile, profileArgs, profilePlugin, readProfile } from '../../run/profile.js';
import { runFirmware } from '../../run/qemu.js';
import type { Command } from '../command.js';
import { buildSteps } from '../output.js';
import { boardArguments, seconds } from './shared.js';

/** A firmware file rather than a board: `.elf`, or an existing file that is no board file. */
const looksLikeElf = (arg: string) => arg.endsWith('.elf') || (existsSync(arg) && statSync(arg).isFile() && !arg.endsWith('.toml'));

function gdbPort(options: Record<string, string | boolean | undefined>): number | undefined {
  if (!options.gdb) {
    return undefined;
  }
  const text = (options['gdb-port'] as string | undefined) ?? '1234';
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) fail('B9001', `--gdb-port must be a TCP port (1-65535), not '${text}'`);
  return port;
}

export const runCommand: Command = {
  name: 'run',
  positionals: 'boards',
  summary: 'run a firmware image on the board emulator and stream its UART',
  usage: '<board> [--recipe FILE] | <firmware.elf> --board <board>',
  details:
    'Given an ELF, runs it on --board as it is. Given a board, builds the project first when anything\n' +
    'changed (progress on stderr), then runs its image.\n' +
    'With --gdb, QEMU waits for a debugger before the first instruction and bento prints the\n' +
    'gdb-multiarch command line that attaches; no timeout applies then unless --timeout is given.\n' +
    'A fault report gets the function and source line of its PC and LR on stderr.\n' +
    'With --profile, QEMU counts the instructions each function executes (a plugin of bento\'s,\n' +
    'built for this machine on first use): Wasm functions by their names, native ones by symbol.\n' +
    "The UART goes to stdout and to a log file; bento exits with the firmware's exit code,\n" +
    '124 on a timeout, 150-154 on a fault (see README).',
  options: {
    board: { type: 'string', short: 'b', value: 'BOARD', description: 'board file or name (for a project, the same as giving it as the argument)' },
    recipe: { type: 'string', short: 'r', value: 'FILE', description: 'recipe whose image to run', default: 'bento.toml' },
    timeout: { type: 'string', short: 't', value: 'SECONDS', description: 'stop the emulator after this long (default: 30; none with --gdb)' },
    icount: { type: 'boolean', description: 'deterministic time: one instruction = 1 ns of virtual time' },
    log: { type: 'string', value: 'FILE', description: 'where the UART log goes (default: beside the ELF, .uart.log)' },
    bootloader: { type: 'boolean', description: "start the board's bootloader (an empty slot: it waits for bento flash)" },
    'with-app': { type: 'boolean', needs: 'bootloader', description: "with --bootloader: build the project's application for the slot (as bento build --app) and put it there; the bootloader then starts it" },
    serial: { type: 'string', value: 'WHERE', description: 'stdio (default) or pty: UART0 on a pseudo-terminal for bento flash, bento monitor or stm32flash', default: 'stdio' },
    gdb: { type: 'boolean', description: "wait for a debugger on QEMU's gdbstub (127.0.0.1) before the first instruction" },
    'gdb-port': { type: 'string', value: 'PORT', description: 'the gdbstub port (default: 1234)', needs: 'gdb' },
    werror: { type: 'boolean', description: 'compiler and linker warnings are errors in the build before the run (as bento build --werror)' },
    profile: { type: 'boolean', description: 'count the instructions each function executes: the top 20 on stderr, all of them in <image>.profile.txt (with --icount, the counts of a timed run)' },
  },
  async run(positionals, options) {
    // `bento run m4`, `bento run --board m4`, or `bento run fw.elf --board m4`.
    const elfGiven = positionals.length === 1 && looksLikeElf(positionals[0]!);
    const target = elfGiven ? positionals[0]! : boardArguments(positionals, options, 'run', true)[0]!;
    const isElf = elfGiven;
    let elf: string;
    // The ELF whose symbols name a fault's addresses: the application's when it runs in the slot.
    let symbols: string | undefined;
    let board;
    const loads: { file: string; address: number }[] = [];
    const serial = options.serial as string;
    if (serial !== 'stdio' && serial !== 'pty') fail('B9001', `--serial must be stdio or pty, not '${serial}'`);
    const port = gdbPort(options);
    if (options.bootloader) {
      board = loadBoard(target);
      // Built in this project's build/ (or the current folder's): never shared between projects.
      elf = await buildBootloader(board, join(process.cwd(), 'build', `${board.name}-bootloader`));
      const slot = applicationSlot(board)!;
      if (options['with-app']) {
        const recipe = loadRecipe(options.recipe as string);
        symbols = (await buildProject(recipe, board, { onStep: buildSteps(`Building ${recipe.name} for ${board.name}'s slot`).onStep, application: true, werror: options.werror === true })).image.elf;
        loads.push({ file: join(buildDir(recipe, board, true), `${recipe.name}.slot.bin`), address: slot.origin });
      }
    } else if (isElf) {
      if (!options.board) fail('B9001', 'bento run <firmware.elf> needs --board', { hint: 'e.g. `bento run fw.elf --board boards/m4.toml`' });
      board = loadBoard(options.board as string);
      elf = resolve(target);
    } else {
      board = loadBoard(target);
      const recipe = loadRecipe(options.recipe as string);
      elf = (await buildProject(recipe, board, { onStep: buildSteps(`Building ${recipe.name} for ${board.name}`).onStep, werror: options.werror === true })).image.elf;
    }
    const timeoutSeconds = port !== undefined && options.timeout === undefined ? undefined : seconds(options.timeout, 'timeout', 30);
    const logFile = (options.log as string | undefined) ?? elf.replace(/\.elf$/, '') + '.uart.log';
    const countsFile = elf.replace(/\.elf$/, '') + '.profile.counts';
    if (options.profile) rmSync(countsFile, { force: true });
    const extraArgs = options.profile ? profileArgs(await profilePlugin(), countsFile) : [];
    const result = await runFirmware({
      elf,
      board,
      timeoutSeconds,
      icount: options.icount === true,
      serial,
      loads,
      gdbPort: port,
      onGdbListening: (p) => console.error(`bento: QEMU waits for a debugger; attach with:\n  ${gdbCommandLine(elf, p)}`),
      onSerialPath: (path) => console.error(`bento: UART0 is on ${path}`),
      logFile,
      onOutput: (chunk) => process.stdout.write(chunk),
      onEmulatorMessage: (text) => process.stderr.write(text),
      extraArgs,
    });
    // Keep bento's own closing line off the end of a last UART line that had no newline.
    if (result.output.length > 0 && !result.output.endsWith('\n')) process.stderr.write('\n');
    // On a pty the UART bytes never pass through bento: QEMU's log has them.
    const uartText = serial === 'pty' && existsSync(logFile) ? readFileSync(logFile, 'utf8') : result.output;
    for (const line of await explainFault(symbols ?? elf, uartText)) console.error(`bento: ${line}`);
    if (options.profile) {
      const profile = await readProfile(symbols ?? elf, countsFile);
      const table = elf.replace(/\.elf$/, '') + '.profile.txt';
      writeFileSync(table, formatProfile(profile) + '\n');
      console.error(`bento: instructions per function (all of them in ${table}):\n${formatProfile(profile, 20)}`);
    }
    if (result.timedOut) {
      console.error(`bento: timeout: the firmware did not exit within ${timeoutSeconds} s; QEMU stopped (exit ${result.exitCode})`);
    } else if (result.exitCode !== 0) {
      const meaning = describeExit(result.exitCode);
      console.error(`bento: firmware exited with code ${result.exitCode}${meaning ? ` (${meaning})` : ''}`);
    }
    return result.exitCode;
  },
};
