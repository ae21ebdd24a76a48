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
  /** A board memory region (e.g. "psram") to hold the Wasm linear memories instead of RAM. */
  linearMemoryRegion?: string;
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
    linearMemory: linearMemoryView(input),
  };
}

function linearMemoryView(input: LinkerScriptInput) {
  if (!input.linearMemoryRegion) return undefined;
  const r = input.board.memory.find((m) => m.name === input.linearMemoryRegion);
  if (!r) throw new Error(`board ${input.board.name} has no memory region '${input.linearMemoryRegion}'`);
  return { origin: hex32(r.origin), length: hex32(r.size) };
}

export function renderLinkerScript(input: LinkerScriptInput): string {
  return renderTemplate('link.ld.hbs', linkerScriptView(input));
}
