import { partSizes } from './box-sizes.js';
import type { ImageSizes } from './size.js';
import { usageLine } from './size.js';

/** What the report needs to know of a box beyond the linked image. */
export interface ReportedBox {
  name: string;
  runtime: 'wasm' | 'native';
  bounds?: string;
  /** Its RAM region as planned (stack, data and bss at the bottom; the rest is its heap). */
  region: number;
  /** A Wasm box's linear memory, a region of its own. */
  memory?: number;
}

export interface PartReport {
  name: string;
  kind: 'host' | 'box';
  runtime?: 'wasm' | 'native';
  bounds?: string;
  /** Code memory: code and constants, and initial values of data. */
  flash: { code: number; data: number; total: number };
  /**
   * RAM reserved: the host's stack, data, bss and heap; a box's whole region (stack, data, bss,
   * and the heap and slack above them up to the region's size) and its linear memory.
   */
  ram: { stack: number; data: number; bss: number; heap: number; memory: number; total: number; region?: number };
}

/** Totals equal the sum of the parts plus what belongs to none (`other`); shares are of the board's capacity. */
export interface SizeReport {
  flash: { used: number; capacity: number };
  ram: { used: number; capacity: number };
  parts: PartReport[];
  /** Vector table padding and section alignment in code memory; RAM between regions is not counted. */
  other: { flash: number; ram: number };
}

const sectionSize = (sizes: ImageSizes, name: string) => sizes.sections.find((s) => s.name === name)?.size ?? 0;

/** Attributes the linked image's flash and RAM to the host and each box. */
export function sizeReport(mapFile: string, sizes: ImageSizes, boxes: readonly ReportedBox[]): SizeReport {
  const measured = partSizes(mapFile, sizes, boxes.map((b) => b.name));
  const parts: PartReport[] = measured.map((m) => {
    const box = boxes.find((b) => b.name === m.name);
    const flash = { code: m.code, data: m.data, total: m.code + m.data };
    if (!box) {
      const heap = sectionSize(sizes, '.heap');
      const memory = sectionSize(sizes, '.linear_memory');
      return { name: 'host', kind: 'host', flash, ram: { stack: m.stack, data: m.data, bss: m.bss, heap, memory, total: m.stack + m.data + m.bss + heap + memory } };
    }
    const used = m.stack + m.data + m.bss;
    const region = Math.max(box.region, used);
    const memory = box.memory ?? 0;
    return {
      name: box.name,
      kind: 'box',
      runtime: box.runtime,
      ...(box.bounds ? { bounds: box.bounds } : {}),
      flash,
      ram: { stack: m.stack, data: m.data, bss: m.bss, heap: region - used, memory, total: region + memory, region },
    };
  });
  const sum = (f: (p: PartReport) => number) => parts.reduce((n, p) => n + f(p), 0);
  const flashUsed = Math.max(sizes.flash, sum((p) => p.flash.total));
  const ramUsed = sum((p) => p.ram.total);
  return {
    flash: { used: flashUsed, capacity: sizes.flashTotal },
    ram: { used: ramUsed, capacity: sizes.ramTotal },
    parts,
    other: { flash: flashUsed - sum((p) => p.flash.total), ram: 0 },
  };
}

/** The two PlatformIO-style lines for the whole image. */
export function formatTotals(report: SizeReport): string {
  return [usageLine('RAM:', report.ram.used, report.ram.capacity), usageLine('Flash:', report.flash.used, report.flash.capacity)].join('\n');
}

const partLabel = (p: PartReport) => (p.kind === 'host' ? 'host' : `box ${p.name} (${p.runtime}${p.runtime === 'wasm' ? `, ${p.bounds} bounds` : ''})`);

/** Each part's flash and RAM, as shares of the board's capacity, adding up to the totals. */
export function formatPartReport(report: SizeReport): string {
  const lines = ['Per part (shares of the board; the parts add up to the totals):'];
  for (const p of report.parts) {
    lines.push(`  ${partLabel(p)}`);
    lines.push(`    ${usageLine('Flash:', p.flash.total, report.flash.capacity)}: code ${p.flash.code}, data ${p.flash.data}`);
    const ram = [`stack ${p.ram.stack}`, `data ${p.ram.data}`, `bss ${p.ram.bss}`];
    if (p.kind === 'host' || p.ram.heap > 0) ram.push(`${p.kind === 'host' ? 'heap' : 'heap and free'} ${p.ram.heap}`);
    if (p.ram.memory > 0) ram.push(`linear memory ${p.ram.memory}`);
    lines.push(`    ${usageLine('RAM:', p.ram.total, report.ram.capacity)}: ${ram.join(', ')}`);
  }
  if (report.other.flash > 0) lines.push(`  alignment and fill in code memory: ${report.other.flash} bytes`);
  return lines.join('\n');
}
