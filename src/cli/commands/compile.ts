import { relative, resolve } from 'node:path';
import { compileStandalone } from '../../compile/standalone.js';
import { loadWasm } from '../../compile/wasm.js';
import { loadBoard } from '../../config/board.js';
import { parseSize } from '../../config/schema.js';
import { fail } from '../../diagnostics/error.js';
import type { Command } from '../command.js';
import { boundsOption, parseBounds } from './bounds.js';
import { onlyPositional } from './shared.js';

export const compileCommand: Command = {
  name: 'compile',
  summary: 'compile a WebAssembly module to a Thumb object file and C header for a board',
  usage: '<in.wasm> -o <out.o> --board <board> [--memory SIZE] [--header FILE] [--runtime-dir DIR] [--bounds STRATEGY] [--no-unaligned-float] [--emit-llvm FILE]',
  details:
    'Decodes and validates the module, lowers it to LLVM IR, optimises it with opt-14 -O2 and\n' +
    'generates code with llc-14 for the board. Writes a C header beside the object (out.h) that\n' +
    'declares the init function, the exports, the imports the firmware defines (WASI imports are\n' +
    "bento's runtime-c/wasi functions; any other is <prefix>_import_<module>_<name>, taking the\n" +
    'instance first) and lists everything else the object needs. docs/compile.md has the ABI.\n' +
    'Symbols are prefixed with --prefix (default: wasm_<file name>), so two instances can share an image.\n' +
    "The linear memory's reservation (--memory) defaults to the module's declared maximum, or its\n" +
    "initial size when it declares none, and never more than the board's RAM.\n" +
    'Bounds mpu and none leave the module unchecked but for the MPU regions bento\'s runtime programs:\n' +
    'they are only safe inside a bento box (or run-wasm). software (the default) checks every access\n' +
    'and traps; mask keeps every access inside the reservation (it wraps instead of trapping).',
  options: {
    output: { type: 'string', short: 'o', value: 'FILE', description: 'the object file to write' },
    board: { type: 'string', short: 'b', value: 'BOARD', description: 'board file or name' },
    bounds: { ...boundsOption, description: 'how memory accesses are kept in bounds (mpu and none: only safe inside a bento box)' },
    memory: { type: 'string', value: 'SIZE', description: "bytes reserved for the linear memory, e.g. 64KiB (default: the module's maximum, else its initial size)" },
    header: { type: 'string', value: 'FILE', description: 'the C header to write (default: the object with .h)' },
    'runtime-dir': { type: 'string', value: 'DIR', description: 'copy the runtime-c sources the object needs, and bento/wasm.h, into DIR' },
    'no-unaligned-float': { type: 'boolean', description: 'move floats through integer registers, so the firmware needs no unaligned-access handler' },
    prefix: { type: 'string', value: 'NAME', description: 'symbol prefix of this instance' },
    'emit-llvm': { type: 'string', value: 'FILE', description: 'also write the optimised LLVM IR (.ll)' },
  },
  async run(positionals, options) {
    const input = resolve(onlyPositional(positionals, 'a .wasm file', 'compile'));
    if (!options.output) fail('B9001', 'bento compile needs -o <out.o>');
    if (!options.board) fail('B9001', 'bento compile needs --board');
    const object = resolve(options.output as string);
    const memory = options.memory === undefined ? undefined : parseSize(options.memory);
    if (memory === undefined && options.memory !== undefined) fail('B9001', `--memory must be a size such as 64KiB or 65536, not '${options.memory}'`);
    const board = loadBoard(options.board as string);
    const wasm = loadWasm(input);
    const name = input.replace(/^.*\//, '').replace(/\.wasm$/, '');
    const prefix = (options.prefix as string | undefined) ?? `wasm_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(prefix)) fail('B9001', `--prefix must be a C identifier, not '${prefix}'`);
    const header = resolve((options.header as string | undefined) ?? object.replace(/(\.o)?$/, '.h'));
    const result = await compileStandalone({
      wasm,
      board,
      object,
      header,
      bounds: parseBounds(options.bounds),
      prefix,
      memory,
      noUnalignedFloat: options['no-unaligned-float'] === true,
      runtimeDir: options['runtime-dir'] === undefined ? undefined : resolve(options['runtime-dir'] as string),
      emitLlvm: options['emit-llvm'] as string | undefined,
    });
    const t = result.compiled.timings;
    const shown = (f: string) => relative(process.cwd(), f);
    const split = result.compiled.split;
    const parts = split ? `; in ${split.partitions} parts, ${split.cached} of them cached` : '';
    console.error(`compiled ${shown(input)} -> ${shown(object)}, ${shown(header)} (lower ${t.lower.toFixed(2)} s, opt ${t.opt.toFixed(2)} s, llc ${t.llc.toFixed(2)} s${parts})`);
    if (result.runtimeFiles.length > 0) console.error(`runtime for it: ${result.runtimeFiles.map(shown).join(', ')}`);
    return 0;
  },
};
