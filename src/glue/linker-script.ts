import type { Board } from '../config/board.js';
import { region } from '../config/board.js';
import { banner, hex32, renderTemplate } from './render.js';

export interface LinkerScriptInput {
  board: Board;
  /** Every file the script derives from, named in its banner. */
  inputs: readonly string[];
  stackSize: number;
  /** MPU guard below the stack; dropped on boards without an MPU. */
  stackGuardSize: number;
  heapSize: number;
}

/** The view model of templates/link.ld.hbs: a pure function of the inputs, numbers preformatted. */
export function linkerScriptView(input: LinkerScriptInput) {
  const code = region(input.board, 'code');
  const ram = region(input.board, 'ram');
  return {
    banner: banner(input.inputs),
    code: { origin: hex32(code.origin), length: hex32(code.size) },
    ram: { origin: hex32(ram.origin), length: hex32(ram.size) },
    stackSize: hex32(input.stackSize),
    stackGuardSize: hex32(input.board.mpu.kind === 'none' ? 0 : input.stackGuardSize),
    heapSize: hex32(input.heapSize),
  };
}

export function renderLinkerScript(input: LinkerScriptInput): string {
  return renderTemplate('link.ld.hbs', linkerScriptView(input));
}
