import { readFileSync } from 'node:fs';
import type { ImageSizes } from './size.js';

/** What one box (or the host) takes of the linked image. */
export interface PartSizes {
  name: string;
  /** Code and constants in code memory, after unused sections were dropped. */
  code: number;
  /** Of its RAM region: stack, data and bss. */
  stack: number;
  data: number;
  bss: number;
}

/**
 * Attributes the code of a linked image to its boxes by the object each input section came
 * from (build/<board>/obj/box/<name>/...), reading the linker's map; everything else is the
 * host's. RAM use comes from the boxes' own output sections.
 */
export function partSizes(mapFile: string, sizes: ImageSizes, boxes: readonly string[]): PartSizes[] {
  const code = new Map<string, number>([['host', 0], ...boxes.map((b) => [b, 0] as [string, number])]);
  const text = readFileSync(mapFile, 'utf8');
  const start = text.indexOf('Linker script and memory map');
  let section = '';
  for (const line of text.slice(start).split('\n')) {
    const named = /^ (\.\S+)/.exec(line);
    if (named) section = named[1]!;
    const m = /^ (?:\.\S+)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+\.o\)?)$/.exec(line);
    if (!m || !/^\.(vectors|text|rodata|ARM\.ex)/.test(section)) continue;
    const owner = /\/obj\/box\/([^/]+)\//.exec(m[3]!)?.[1];
    const part = owner && code.has(owner) ? owner : 'host';
    code.set(part, code.get(part)! + parseInt(m[2]!, 16));
  }
  const sectionSize = (name: string) => sizes.sections.find((s) => s.name === name)?.size ?? 0;
  const host = { name: 'host', code: code.get('host')!, stack: sectionSize('.stack'), data: sectionSize('.data'), bss: sectionSize('.bss') };
  return [
    host,
    ...boxes.map((b) => ({ name: b, code: code.get(b)!, stack: sectionSize(`.box_${b}_stack`), data: sectionSize(`.box_${b}_data`), bss: sectionSize(`.box_${b}_bss`) })),
  ];
}
