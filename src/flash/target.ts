import { join, relative } from 'node:path';
import { buildDir } from '../build/build.js';
import type { Board } from '../config/board.js';
import { applicationSlot } from '../config/board.js';
import type { EraseUnit } from '../config/bootloader.js';
import type { Recipe } from '../config/recipe.js';
import { fail } from '../diagnostics/error.js';

/** What bento flash writes on a board, and where. */
export interface FlashTarget {
  /** Built for bento's application slot (`bento build --app`), or as the plain image. */
  application: boolean;
  /** The bytes to write, as the build leaves them. */
  file: string;
  address: number;
  /** Bytes from the start that make the image bootable: written last. */
  headerBytes: number;
  units: readonly EraseUnit[];
  productId?: number;
}

/** The initial stack pointer and reset vector: until both are written the part boots nothing. */
const resetVector = 8;

/**
 * After bento's resident bootloader, the slot image (its header, then the image) goes to the
 * slot; through a part's own ROM bootloader, the plain image goes to the start of flash.
 */
export function flashTarget(board: Board, recipe: Recipe): FlashTarget {
  const bl = board.bootloader;
  if (!bl) {
    fail('B1004', `board ${board.name} has no [bootloader]: bento flash needs one`, {
      location: board.at,
      hint: `write ${relative(process.cwd(), join(buildDir(recipe, board), `${recipe.name}.bin`))} (or the .elf) with the board's debug probe, or describe its serial bootloader in [bootloader] (README, "Flashing over serial")`,
    });
  }
  const common = { units: bl.units, productId: bl.productId };
  if (bl.kind === 'stm32-system') {
    return { ...common, application: false, file: join(buildDir(recipe, board), `${recipe.name}.bin`), address: bl.alias, headerBytes: resetVector };
  }
  const slot = applicationSlot(board)!;
  return { ...common, application: true, file: join(buildDir(recipe, board, true), `${recipe.name}.slot.bin`), address: slot.alias, headerBytes: slot.header };
}
