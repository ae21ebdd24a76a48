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
  /** MPU regions carved out of RAM (from planTopRegions), with the input sections each holds. */
  mpuRegions?: readonly LinkerRegion[];
  /** The part of RAM left to the host when MPU regions take the rest. */
  hostRam?: { origin: number; size: number };
  /** The part of code memory the image goes to (default: all of it), e.g. a bootloader's application slot. */
  codeSlot?: { origin: number; size: number };
  /** Boxes of a recipe, each with its planned RAM region (and linear memory region). */
  boxes?: readonly LinkerBox[];
}

export interface LinkerBox {
  name: string;
  ram: { origin: number; size: number };
  memory?: { origin: number; size: number };
  stack: number;
  /** The box's `heap`. A Wasm box's heap is part of its linear memory (buildWasmBox sizes the memory with it), not of its RAM region. */
  heap: number;
  /** Path pattern of the box's object files (their data and bss go to its region). */
  objects: string;
}

export interface LinkerRegion {
  /** Output section and symbol stem: .box_ram, __bento_box_ram_start. */
  section: string;
  origin: number;
  size: number;
  /** Input section patterns, in order. */
  inputs: readonly string[];
}

/** The view model of templates/link.ld.hbs: a pure function of the inputs, numbers preformatted. */
export function linkerScriptView(input: LinkerScriptInput) {
  const codeMemory = region(input.board, 'code');
  const code = input.codeSlot ?? codeMemory;
  const ram = input.hostRam ?? region(input.board, 'ram');
  return {
    banner: banner(input.inputs),
    code: { origin: hex32(code.origin), length: hex32(code.size) },
    codeMemory: { origin: hex32(codeMemory.origin), length: hex32(codeMemory.size) },
    ram: { origin: hex32(ram.origin), length: hex32(ram.size) },
    stackSize: hex32(input.stackSize),
    stackGuardSize: hex32(input.board.mpu.kind === 'none' ? 0 : input.stackGuardSize),
    heapSize: hex32(input.heapSize),
    linearMemory: linearMemoryView(input),
    regions: (input.mpuRegions ?? []).map((r) => ({
      section: r.section,
      memory: r.section.toUpperCase(),
      origin: hex32(r.origin),
      length: hex32(r.size),
      inputs: r.inputs,
    })),
    boxes: (input.boxes ?? []).map((b) => ({
      name: b.name,
      memory: `BOX_${b.name.toUpperCase()}`,
      ram: { origin: hex32(b.ram.origin), length: hex32(b.ram.size) },
      linear: b.memory ? { origin: hex32(b.memory.origin), length: hex32(b.memory.size) } : undefined,
      stack: hex32(b.stack),
      // The heap the RAM region must hold after the bss: none for a Wasm box (see LinkerBox.heap).
      heap: hex32(b.memory ? 0 : b.heap),
      objects: b.objects,
    })),
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
