// A board's serial bootloader, as bento flash sees it: bento's own resident one (an3155, on the
// emulated CMSDK boards) or the part's ROM bootloader in system memory (stm32-system), which
// takes the image whole at the start of flash. Either way the flash is a list of erase units,
// numbered from the start of code memory as the bootloader's Erase commands number them.
import type { Diagnostic, SourceLocation } from '../diagnostics/error.js';
import { parseSize } from './schema.js';
import type { Field } from './schema.js';

export const bootloaderKinds = ['an3155', 'stm32-system'] as const;

/** One erase unit (a page, or an STM32F2/F4/F7 sector) as clients address it. */
export interface EraseUnit {
  index: number;
  address: number;
  size: number;
}

interface Common {
  /** Where clients see code memory (STM32 flash at 0x08000000). */
  alias: number;
  /** The erase units of all of code memory, from `alias` on. */
  units: readonly EraseUnit[];
  /** The product ID the bootloader must report (Get ID), when the board names one. */
  productId?: number;
}

/** bento's bootloader (runtime-c/bootloader) in the first `size` bytes; the application slot follows. */
export interface ResidentBootloader extends Common {
  kind: 'an3155';
  size: number;
  /** Its uniform erase unit. */
  pageSize: number;
  /** Bytes of application header before the application's vector table. */
  header: number;
}

/** The part's own ROM bootloader: it owns no flash, and the image is written from the start. */
export interface SystemBootloader extends Common {
  kind: 'stm32-system';
}

export type BootloaderLayout = ResidentBootloader | SystemBootloader;

const sectorPattern = /^\s*(?:(\d+)\s*[x×*]\s*)?(.+)$/i;

export const bootloaderSchema: Field = {
  kind: 'table',
  doc: 'the serial bootloader bento flash talks to: bento\'s resident one, or the part\'s own in ROM',
  fields: {
    kind: {
      kind: 'string',
      doc: 'an3155: bento\'s resident bootloader at the start of code memory (CMSDK UART boards); stm32-system: the STM32\'s ROM bootloader (AN2606), which takes the image whole',
      required: true,
      oneOf: bootloaderKinds,
    },
    size: { kind: 'size', doc: 'an3155: bytes at the start of code memory it owns; the application slot follows' },
    'page-size': { kind: 'size', doc: 'the erase unit when all are equal (STM32F1/L4/G4 pages)' },
    sectors: {
      kind: 'array',
      doc: 'stm32-system: the erase units in order when they differ (STM32F2/F4/F7 sectors), e.g. ["4 x 16 KiB", "64 KiB", "7 x 128 KiB"]',
      of: { kind: 'string', doc: 'a size, or "N x size"' },
    },
    'flash-alias': { kind: 'int', doc: 'address of code memory as clients see it (STM32: 0x08000000; default: code origin)', min: 0, max: 0xffff_ffff },
    header: { kind: 'size', doc: 'an3155: application header before its vector table (default 256)' },
    'product-id': { kind: 'int', doc: 'the product ID the bootloader reports (Get ID): bento flash refuses any other part', min: 0, max: 0xffff },
  },
};

interface CodeMemory {
  origin: number;
  size: number;
}

/** Checks a [bootloader] table against the board's code memory and console. */
export function checkBootloader(bl: any, code: CodeMemory, uartKind: string, at: (key: string) => SourceLocation): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const problem = (key: string, message: string, hint?: string) => problems.push({ code: 'B1004', message, location: at(`bootloader.${key}`), hint });
  if (bl['page-size'] !== undefined && bl.sectors !== undefined) problem('sectors', "give either 'bootloader.page-size' or 'bootloader.sectors', not both");
  if (bl['page-size'] === undefined && bl.sectors === undefined) problem('kind', "the bootloader's erase unit is missing", 'add page-size = "2 KiB" (uniform pages) or sectors = ["4 x 16 KiB", ...] (STM32F2/F4/F7)');
  if (bl['page-size'] === 0) problem('page-size', "'bootloader.page-size' must be more than 0");
  const sizes = bl.sectors === undefined ? [] : parseSectors(bl.sectors);
  if (typeof sizes === 'string') problem('sectors', sizes, 'write each entry as a size ("64 KiB") or a count and a size ("4 x 16 KiB")');
  else if (sizes.length > 0 && sizes.reduce((a, b) => a + b, 0) !== code.size) {
    problem('sectors', `the sectors add up to ${sizes.reduce((a, b) => a + b, 0)} bytes, but code memory is ${code.size} bytes`, 'list every sector of the part\'s flash, or set memory.code.size to what they cover');
  }
  if (bl.kind === 'an3155') {
    if (uartKind !== 'cmsdk') {
      problem('kind', `bento's resident an3155 bootloader talks to a cmsdk UART only, and this board's console is ${uartKind}`, 'for an STM32\'s own ROM bootloader use kind = "stm32-system"; otherwise leave out [bootloader], or add a UART driver to runtime-c/bootloader/serial.c');
    }
    if (bl.sectors !== undefined) problem('sectors', "bento's resident bootloader erases uniform pages: use 'bootloader.page-size'");
    if (bl.size === undefined || bl.size === 0) {
      problem('size', "bento's resident bootloader needs 'bootloader.size', the bytes it owns at the start of code memory", 'an STM32 flashed through its ROM bootloader (nothing resident) is kind = "stm32-system"');
    } else if (bl['page-size']) {
      const header = bl.header ?? 256;
      if (bl.size % bl['page-size'] !== 0) problem('size', `'bootloader.size' (${bl.size}) must be a whole number of pages (${bl['page-size']} bytes)`);
      if (bl.size + header >= code.size) problem('size', `the bootloader (${bl.size} bytes) leaves no room for an application in code memory (${code.size} bytes)`);
      // The application's vector table starts right after its header: VTOR wants it 128-aligned at least.
      if (header % 128 !== 0) problem('header', `'bootloader.header' (${header}) must be a multiple of 128: the vector table follows it`);
    }
  } else {
    for (const key of ['size', 'header']) {
      if (bl[key] !== undefined) problem(key, `'bootloader.${key}' is for bento's resident bootloader: the ${bl.kind} bootloader lives in system memory and the image starts at the start of flash`);
    }
    if (bl['page-size'] && code.size % bl['page-size'] !== 0) problem('page-size', `code memory (${code.size} bytes) is not a whole number of ${bl['page-size']}-byte pages`);
  }
  return problems;
}

/** ["4 x 16 KiB", "64 KiB"] -> sizes in bytes, one per sector; a message when an entry is not one. */
export function parseSectors(entries: readonly string[]): number[] | string {
  const sizes: number[] = [];
  for (const entry of entries) {
    const m = sectorPattern.exec(entry);
    const size = m ? parseSize(m[2]!.trim()) : undefined;
    const count = m?.[1] === undefined ? 1 : Number(m[1]);
    if (size === undefined || size === 0 || count === 0) return `'bootloader.sectors' entry '${entry}' is not a size or "N x size"`;
    for (let i = 0; i < count; i++) sizes.push(size);
  }
  return sizes;
}

/** The checked table as the rest of bento uses it. */
export function resolveBootloader(bl: any, code: CodeMemory): BootloaderLayout {
  const alias = bl['flash-alias'] ?? code.origin;
  const sizes = bl.sectors ? (parseSectors(bl.sectors) as number[]) : Array.from({ length: Math.ceil(code.size / bl['page-size']) }, () => bl['page-size'] as number);
  let address = alias;
  const units = sizes.map((size, index) => {
    const unit = { index, address, size };
    address += size;
    return unit;
  });
  const common = { alias, units, productId: bl['product-id'] };
  if (bl.kind === 'an3155') return { ...common, kind: 'an3155', size: bl.size, pageSize: bl['page-size'], header: bl.header ?? 256 };
  return { ...common, kind: 'stm32-system' };
}
