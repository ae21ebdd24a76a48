import type { Board } from '../config/board.js';
import { region } from '../config/board.js';
import { runTool } from '../toolchain/exec.js';

export interface SectionSize {
  name: string;
  size: number;
  address: number;
}

export interface ImageSizes {
  sections: readonly SectionSize[];
  /** Bytes of code memory used: everything loaded into CODE, including .data's initial values. */
  flash: number;
  /** Bytes of RAM reserved: stack, .data, .bss and heap. */
  ram: number;
  flashTotal: number;
  ramTotal: number;
}

/** Reads section sizes with arm-none-eabi-size -A and sorts them into flash and RAM use. */
export async function measureImage(elf: string, board: Board): Promise<ImageSizes> {
  const { stdout } = await runTool('size', ['-A', elf], { doing: `measuring ${elf}` });
  const sections: SectionSize[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^(\.\S+)\s+(\d+)\s+(\d+)/.exec(line);
    if (m && Number(m[2]) > 0) sections.push({ name: m[1]!, size: Number(m[2]), address: Number(m[3]) });
  }
  const code = region(board, 'code');
  const ram = region(board, 'ram');
  const inside = (s: SectionSize, r: { origin: number; size: number }) => s.address >= r.origin && s.address < r.origin + r.size;
  // What is not loaded: debug info, notes, and llc's frame sizes (.stack_sizes, at address 0).
  const allocated = sections.filter((s) => !s.name.startsWith('.debug') && !['.comment', '.ARM.attributes', '.stack_sizes'].includes(s.name));
  const ramSections = allocated.filter((s) => inside(s, ram));
  // Initialised data is in RAM and, as its initial values, in code memory too.
  const dataSize = ramSections.filter((s) => s.name === '.data' || /^\.box_.*_data$/.test(s.name)).reduce((n, s) => n + s.size, 0);
  return {
    sections: allocated,
    flash: allocated.filter((s) => inside(s, code)).reduce((n, s) => n + s.size, 0) + dataSize,
    ram: ramSections.reduce((n, s) => n + s.size, 0),
    flashTotal: code.size,
    ramTotal: ram.size,
  };
}

/** A PlatformIO-style usage line: `RAM:   [==        ]  21.9% (used 73728 bytes from 4194304 bytes)`. */
export function usageLine(label: string, used: number, total: number, width = 6): string {
  const share = total > 0 ? used / total : 0;
  const filled = Math.min(10, Math.round(share * 10));
  const bar = '='.repeat(filled) + ' '.repeat(10 - filled);
  return `${label.padEnd(width)} [${bar}] ${(share * 100).toFixed(1).padStart(5)}% (used ${used} bytes from ${total} bytes)`;
}
