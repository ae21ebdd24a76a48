import { relative, resolve } from 'node:path';
import { compileWasm, readWasm } from '../../compile/wasm.js';
import { loadBoard, region } from '../../config/board.js';
import { fail } from '../../diagnostics/error.js';
import { resolveWasiImport } from '../../link/wasi.js';
import type { Command } from '../command.js';
import { boundsOption, parseBounds } from './bounds.js';
import { onlyPositional } from './shared.js';

export const compileCommand: Command = {
  name: 'compile',
  summary: 'compile a WebAssembly module to a Thumb object file for a board',
  usage: '<in.wasm> -o <out.o> --board <board> [--bounds STRATEGY] [--emit-llvm FILE]',
  details:
    'Decodes and validates the module, lowers it to LLVM IR, optimises it with opt-14 -O2 and\n' +
    'generates code with llc-14 for the board. Imports must be WASI functions bento provides.\n' +
    'Symbols are prefixed with --prefix (default: wasm_<file name>), so two instances can share an image.',
  options: {
    output: { type: 'string', short: 'o', value: 'FILE', description: 'the object file to write' },
    board: { type: 'string', short: 'b', value: 'BOARD', description: 'board file or name' },
    bounds: boundsOption,
    prefix: { type: 'string', value: 'NAME', description: 'symbol prefix of this instance' },
    'emit-llvm': { type: 'string', value: 'FILE', description: 'also write the optimised LLVM IR (.ll)' },
  },
  async run(positionals, options) {
    const input = resolve(onlyPositional(positionals, 'a .wasm file', 'compile'));
    if (!options.output) fail('B9001', 'bento compile needs -o <out.o>');
    if (!options.board) fail('B9001', 'bento compile needs --board');
    const board = loadBoard(options.board as string);
    const memoryLimit = region(board, 'ram').size;
    const wasm = readWasm(input, memoryLimit);
    const name = input.replace(/^.*\//, '').replace(/\.wasm$/, '');
    const result = await compileWasm({
      wasm,
      board,
      object: resolve(options.output as string),
      bounds: parseBounds(options.bounds),
      prefix: (options.prefix as string | undefined) ?? `wasm_${name.replace(/[^A-Za-z0-9]/g, '_')}`,
      memoryLimit,
      resolveImport: resolveWasiImport(wasm),
      emitLlvm: options['emit-llvm'] as string | undefined,
    });
    const t = result.timings;
    console.error(`compiled ${relative(process.cwd(), input)} -> ${relative(process.cwd(), result.object)} (lower ${t.lower.toFixed(2)} s, opt ${t.opt.toFixed(2)} s, llc ${t.llc.toFixed(2)} s)`);
    return 0;
  },
};
