import { mkdirSync } from 'node:fs';
import { join, resolve, basename } from 'node:path';
import { buildWasmProgram, defaultWasmStack } from '../../build/wasm-program.js';
import { assembleWat } from '../../compile/box-wasm.js';
import { loadBoard } from '../../config/board.js';
import { parseSize } from '../../config/schema.js';
import { fail } from '../../diagnostics/error.js';
import { exitCodes } from '../../run/exit-codes.js';
import { explainFault } from '../../run/explain-fault.js';
import { emulatorOf, runFirmware } from '../../run/qemu.js';
import type { Command } from '../command.js';
import { boundsOption, parseBounds } from './bounds.js';
import { onlyPositional, progress, seconds } from './shared.js';

export const runWasmCommand: Command = {
  name: 'run-wasm',
  summary: 'compile a WASI program and run it on the board emulator',
  usage: '<prog.wasm|prog.wat> --board <board> [--bounds STRATEGY] [--icount] [--timeout SECONDS]',
  details:
    "stdout is the program's stdout (the UART), stderr its stderr; bento exits with the program's\n" +
    'exit code. A trap prints `trap: <kind>` on stderr and exits 134. With --icount the run uses\n' +
    "deterministic virtual time and the guest's instruction count is printed on stderr.",
  options: {
    board: { type: 'string', short: 'b', value: 'BOARD', description: 'board file or name' },
    bounds: boundsOption,
    icount: { type: 'boolean', description: "report the guest's emulated instruction count" },
    timeout: { type: 'string', short: 't', value: 'SECONDS', description: 'stop the emulator after this long', default: '60' },
    stack: { type: 'string', value: 'SIZE', description: 'main stack for the guest (default 256 KiB, or an eighth of RAM on smaller boards)' },
    'out-dir': { type: 'string', value: 'DIR', description: 'where the image is built (default build/run-wasm/<board>/<name>)' },
  },
  async run(positionals, options) {
    const input = resolve(onlyPositional(positionals, 'a .wasm or .wat file', 'run-wasm'));
    if (!options.board) fail('B9001', 'bento run-wasm needs --board');
    const board = loadBoard(options.board as string);
    emulatorOf(board);
    const stack = options.stack === undefined ? defaultWasmStack(board) : parseSize(options.stack);
    if (stack === undefined || stack < 4096) fail('B9001', `--stack must be a size of at least 4 KiB, not '${options.stack}'`);
    const name = basename(input).replace(/\.wa[st]m?$/, '');
    const outDir = resolve((options['out-dir'] as string | undefined) ?? join('build', 'run-wasm', board.name, name));
    const icount = options.icount === true;
    // A .wat is assembled first (with its `(pagesize N)`, which Debian's wat2wasm lacks).
    let wasmFile = input;
    if (input.endsWith('.wat')) {
      mkdirSync(outDir, { recursive: true });
      wasmFile = join(outDir, `${name}.wasm`);
      await assembleWat(input, wasmFile, `reading ${basename(input)}`);
    }
    const built = await buildWasmProgram(
      { wasmFile, board, bounds: parseBounds(options.bounds), outDir, icount, stack },
      { onStep: options.verbose ? progress : undefined },
    );
    const result = await runFirmware({
      elf: built.image.elf,
      board,
      timeoutSeconds: seconds(options.timeout, 'timeout', 60),
      icount,
      onOutput: (chunk) => process.stdout.write(chunk),
      onEmulatorMessage: (text) => process.stderr.write(text),
    });
    // A fault report's PC and LR, named from the image: the Wasm function (and, for a module with
    // DWARF lines, the source line) the fault happened in.
    const explained = await explainFault(built.image.elf, result.output);
    if (explained.length > 0 && !result.output.endsWith('\n')) process.stderr.write('\n');
    for (const line of explained) console.error(`bento: ${line}`);
    if (result.timedOut) console.error(`bento: timeout: the program did not exit within ${options.timeout} s`);
    return result.timedOut ? exitCodes.timeout : result.exitCode;
  },
};
