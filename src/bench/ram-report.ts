// The RAM table of `bento bench --ram` as Markdown, and the check against issue 14's target.
// Pure: the numbers come from measureRam (ram-table.ts).
import type { BoundsStrategy } from '../lower/types.js';
import type { RegionRule } from '../plan/mpu-regions.js';
import { isRefused, moduleNeeds } from './ram-table.js';
import type { BoxRam, ExampleRam, Refused, WasmModuleRam, WasmPlanned } from './ram-table.js';

/**
 * bento-linker's published "RAM lower-bound (in bytes)" of its aWsm boxes (the `awsm` row of the
 * table in its README): its own examples of these names, on an nRF52840, counted as the bytes of
 * RAM that were not zero after a run. Bytes, not KiB: 40,692 bytes is 39.7 KiB.
 */
export const bentoLinkerAwsm: Readonly<Record<string, number>> = { hello: 500, qsort: 40692, mandelbrot: 7000 };

/** Issue 14's target: what a Wasm box may take beyond its stack, data, bss and heap. */
export const targetSlack = 256;

/**
 * The most a Wasm box that needs `needs` bytes (stack + data + bss + heap) may be planned to take:
 * needs + 256 on PMSAv8, and at most an eighth more than that on PMSAv7.
 */
export function targetLimit(needs: number, rule: RegionRule): number {
  return rule === 'pmsav8' ? needs + targetSlack : Math.floor(((needs + targetSlack) * 9) / 8);
}

/** Where a Wasm box's planned bytes beyond its needs go; the parts add up to `overhead`. */
export interface Overhead {
  needs: number;
  planned: number;
  /** planned - needs. */
  overhead: number;
  limit: number;
  meets: boolean;
  /** The native stack of its compiled code, at the bottom of its RAM region. */
  nativeStack: number;
  /** Data and bss of its objects in the RAM region: instance record, globals, tables. */
  objects: number;
  /** Padding the linker script's alignment leaves between stack, data and bss. */
  alignment: number;
  /** The RAM region beyond what the link put in it: what the planner's 64 bytes over stack, data and bss and the MPU's granule leave. */
  regionRounding: number;
  /** The linear memory beyond the module's needs: rounding to 32 bytes, then the MPU's (a power of two for mask). */
  memoryRounding: number;
}

export function wasmOverhead(module: WasmModuleRam, planned: WasmPlanned, rule: RegionRule): Overhead {
  const needs = moduleNeeds(module);
  const total = planned.ram + planned.memory;
  const c = planned.contents;
  const parts = {
    nativeStack: c.stack,
    objects: c.objects,
    alignment: c.used - c.stack - c.objects,
    regionRounding: planned.ram - c.used,
    memoryRounding: planned.memory - needs,
  };
  const sum = Object.values(parts).reduce((a, b) => a + b, 0);
  if (sum !== total - needs) throw new Error(`internal: overhead parts ${JSON.stringify(parts)} add up to ${sum}, not ${total - needs}`);
  const limit = targetLimit(needs, rule);
  return { needs, planned: total, overhead: total - needs, limit, meets: total <= limit, ...parts };
}

const n = (bytes: number) => bytes.toLocaleString('en-US');
const ruleName = (rule: RegionRule) => (rule === 'pmsav8' ? 'PMSAv8' : 'PMSAv7');

/** Why a build was refused, for a table cell: the symbols a native box may not use, or the codes. */
function refusedText(r: Refused): string {
  if (r.symbols.length > 0) return `refused: uses ${r.symbols.join(', ')} (${r.codes.join(', ')})`;
  return `refused (${r.codes.join(', ')}): ${r.reason.replaceAll('|', '\\|')}`;
}

function needsText(m: WasmModuleRam | Refused): string {
  if (isRefused(m)) return refusedText(m);
  return `${n(moduleNeeds(m))} = ${n(m.stack)} + ${n(m.data)} + ${n(m.bss)} + ${n(m.heap)}${m.unsized ? ` (64 KiB pages: ${m.unsized})` : ''}`;
}

const wasmCell = (p: WasmPlanned | Refused) => (isRefused(p) ? refusedText(p) : `${n(p.ram + p.memory)} (${n(p.ram)} + ${n(p.memory)})`);

function nativeCell(b: BoxRam): string {
  if (isRefused(b.native)) return refusedText(b.native);
  const x = b.native;
  return `${n(x.ram)} (needs ${n(x.stack + x.data + x.bss + x.heap)} = ${n(x.stack)} + ${n(x.data)} + ${n(x.bss)} + ${n(x.heap)})`;
}

const hostCodeCell = (b: BoxRam) => `${n(b.hostCode.data + b.hostCode.bss)} (+ ${n(b.hostCode.stack)} stack)`;

const boardCell = (r: { board: string; rule: RegionRule }) => `${r.board} (${ruleName(r.rule)})`;

function perBoxTable(results: readonly ExampleRam[]): string[] {
  const bounds = boundsOf(results);
  return [
    `| example | box | board | Wasm needs: stack + data + bss + heap | ${bounds.map((b) => `Wasm ${b}: RAM region + linear memory`).join(' | ')} | native MPU box: RAM region | native host code: data + bss |`,
    `|---|---|---|---:|${bounds.map(() => '---:').join('|')}|---:|---:|`,
    ...results.flatMap((r) =>
      r.boxes.map((b) => `| ${b.example} | ${b.box}${b.runtime === 'native' ? ' (native in the recipe)' : ''} | ${boardCell(b)} | ${needsText(b.module)} | ${b.wasm.map((w) => wasmCell(w.planned)).join(' | ')} | ${nativeCell(b)} | ${hostCodeCell(b)} |`),
    ),
  ];
}

function boundsOf(results: readonly ExampleRam[]): BoundsStrategy[] {
  return results[0]?.boxes[0]?.wasm.map((w) => w.bounds) ?? [];
}

/** Sums over an example's boxes, or why there is none (a box refused). */
function sum<T>(boxes: readonly BoxRam[], pick: (b: BoxRam) => T | Refused, bytes: (t: T) => number): string {
  let total = 0;
  for (const b of boxes) {
    const x = pick(b);
    if (isRefused(x as object)) return `none: ${b.box} refused`;
    total += bytes(x as T);
  }
  return n(total);
}

function perExampleTable(results: readonly ExampleRam[]): string[] {
  const bounds = boundsOf(results);
  return [
    `| example | board | Wasm needs | ${bounds.map((b) => `Wasm ${b}`).join(' | ')} | native MPU boxes | native host code (data + bss + stack) | bento-linker aWsm, its own example (lower bound) |`,
    `|---|---|---:|${bounds.map(() => '---:').join('|')}|---:|---:|---:|`,
    ...results.map((r) => {
      const wasm = bounds.map((bound, i) => {
        const holes = r.holes.find((h) => h.bounds === bound);
        const total = sum(r.boxes, (b) => b.wasm[i]!.planned, (p) => p.ram + p.memory);
        return holes && holes.bytes > 0 ? `${total} (+ ${n(holes.bytes)} in holes)` : total;
      });
      const awsm = bentoLinkerAwsm[r.example];
      return `| ${r.example} | ${boardCell(r)} | ${sum(r.boxes, (b) => b.module, moduleNeeds)} | ${wasm.join(' | ')} | ${sum(r.boxes, (b) => b.native, (x) => x.ram)} | ${sum(r.boxes, (b) => b.hostCode, (h) => h.data + h.bss + h.stack)} | ${awsm === undefined ? '' : n(awsm)} |`;
    }),
  ];
}

function targetTable(results: readonly ExampleRam[]): string[] {
  const rows: string[] = [];
  for (const b of results.flatMap((r) => r.boxes)) {
    if (isRefused(b.module)) continue;
    for (const w of b.wasm) {
      if (isRefused(w.planned)) continue;
      const o = wasmOverhead(b.module, w.planned, b.rule);
      const cells = [o.needs, o.planned, o.overhead, o.limit - o.needs].map(n);
      const parts = [o.nativeStack, o.objects, o.alignment, o.regionRounding, o.memoryRounding, o.overhead - o.nativeStack, w.planned.hostRecord].map(n);
      rows.push(`| ${b.example} | ${b.box} | ${boardCell(b)} | ${w.bounds} | ${cells.join(' | ')} | ${o.meets ? 'yes' : '**no**'} | ${parts.join(' | ')} |`);
    }
  }
  return [
    '| example | box | board | bounds | needs | planned | overhead | allowed | meets | native stack | box objects | alignment | RAM region rounding | memory rounding | overhead besides the native stack | host RAM for its record (not planned) |',
    '|---|---|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ];
}

/** The tables of `bento bench --ram`, between the markers that `replaceRamSection` finds. */
export function formatRamReport(results: readonly ExampleRam[], commit: string): string {
  const examples = [...new Set(results.map((r) => r.example))];
  const boards = [...new Set(results.map((r) => r.board))];
  return [
    `${startMarker} at commit ${commit} from ${examples.map((e) => `examples/${e}`).join(', ')} on ${boards.join(', ')}; do not edit between these markers -->`,
    '',
    '### Per box, in bytes',
    '',
    ...perBoxTable(results),
    '',
    '- Wasm needs: the box\'s C as a Wasm module: the shadow stack (the recipe\'s `stack`), its data segments (constants included: they live in linear memory), the rest up to `__heap_base` (bss), and the recipe\'s `heap`.',
    '- Wasm *bounds*: every box of the example built as a Wasm box with those bounds; the RAM region (native stack, instance record) and the linear memory as `bento plan` places them, MPU-rounded.',
    '- Native MPU box: the box alone switched to `runtime = "native"`; its region as planned, and its own stack, data, bss and heap (its objects, measured). A box bento refuses as native says which calls it may not make.',
    '- Native host code: the box\'s C compiled for the board as host code (`-O2`), its own data and bss; the stack beside it is the recipe\'s `stack`, an allowance, not a measurement; C library state it shares with the host is not counted.',
    '',
    '### Per example, in bytes (sums over the boxes)',
    '',
    ...perExampleTable(results),
    '',
    '- Holes: RAM between the host\'s and the top of RAM that the plan left to no region (region alignment).',
    "- bento-linker's figures are its README's \"RAM lower-bound (in bytes)\" for aWsm: the non-zero bytes of the whole RAM after a run of its own examples of those names (a 80 x 80 Mandelbrot, a sort of 10K ints) on an nRF52840, so the host's data is in them and reserved but untouched bytes are not. bento's columns are reservations.",
    '',
    '### Against the target, per Wasm box',
    '',
    `Target (issue 14): a Wasm box takes at most its stack + data + bss + heap + ${targetSlack} bytes on PMSAv8, and at most 1/8 more than that on PMSAv7: allowed = ${targetSlack} (PMSAv8) or (needs + ${targetSlack}) x 9/8 - needs (PMSAv7). Overhead = planned - needs = native stack + box objects + alignment + RAM region rounding + memory rounding, each measured:`,
    '',
    "- native stack: the bottom of the RAM region, where the compiled code's frames go: what bento measures the code needs (its deepest chain of frames, the helpers it calls, the entry glue and an exception frame), or, where recursion leaves no static bound, the recipe's `stack`, reserved a second time (the shadow stack in linear memory is the other);",
    "- box objects: the data and bss of the box's objects in its RAM region (instance record, globals, tables);",
    '- alignment: padding the linker script leaves between its stack, data and bss;',
    "- RAM region rounding: the region beyond what the link put in it: the planner sizes it as the stack, the objects' data and bss and 64 bytes, then rounds that up to the MPU's granule (32 bytes on PMSAv8, an eighth of the power of two on PMSAv7);",
    '- memory rounding: the linear memory beyond the module\'s needs (to 32 bytes, then the MPU\'s granule; a whole power of two with mask bounds);',
    '- overhead besides the native stack: the other four added. On PMSAv7 their rounding is that of a region holding the native stack (an eighth of a larger power of two), so it is not what a region without it would lose;',
    "- host RAM for its record: the box's record in the host (`bento_box_<name>`, and `trusted_<name>` for a box that uses WASI), outside the planned regions and not in the overhead.",
    '',
    ...targetTable(results),
    '',
    endMarker,
  ].join('\n');
}

const startMarker = '<!-- generated by bento bench --ram';
const endMarker = '<!-- end of the tables generated by bento bench --ram -->';

/**
 * `text` (a Markdown file) with the generated RAM tables replaced by `report`, or, when it has
 * none yet, with a section "RAM per box" holding them added at its end.
 */
export function replaceRamSection(text: string, report: string): string {
  const start = text.indexOf(startMarker);
  const end = text.indexOf(endMarker);
  if (start >= 0 && end > start) return `${text.slice(0, start)}${report}${text.slice(end + endMarker.length)}`;
  return `${text.replace(/\n*$/, '\n')}\n## RAM per box\n\n${report}\n`;
}
