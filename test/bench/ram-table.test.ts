// The RAM table of `bento bench --ram`: the target's arithmetic and the Markdown section on
// made-up numbers, then examples/mandelbrot built for the m33 (PMSAv8) as a Wasm box with
// software bounds and as a native box, whose numbers must agree with each other and with the
// board's 32-byte granules. No byte count of the example is pinned: the compiler may change them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRamReport, replaceRamSection, targetLimit, wasmOverhead } from '../../src/bench/ram-report.js';
import { isRefused, measureRam, moduleNeeds } from '../../src/bench/ram-table.js';
import type { WasmModuleRam, WasmPlanned } from '../../src/bench/ram-table.js';
import { loadBoard } from '../../src/config/board.js';

describe('the target', () => {
  it('allows 256 bytes on PMSAv8 and an eighth more than that on PMSAv7', () => {
    expect(targetLimit(4096, 'pmsav8')).toBe(4352);
    expect(targetLimit(4096, 'pmsav7')).toBe(4896);
  });

  it('splits the overhead into parts that add up to planned - needs', () => {
    const module: WasmModuleRam = { stack: 4096, data: 64, bss: 0, heap: 0 };
    const planned: WasmPlanned = { ram: 4224, memory: 4160, contents: { stack: 4096, objects: 40, used: 4136 }, hostRecord: 160 };
    const o = wasmOverhead(module, planned, 'pmsav8');
    expect(o).toMatchObject({ needs: 4160, planned: 8384, overhead: 4224, limit: 4416, meets: false });
    expect(o).toMatchObject({ nativeStack: 4096, objects: 40, alignment: 0, regionRounding: 88, memoryRounding: 0 });
  });
});

describe('the Markdown section', () => {
  const report = formatRamReport([], 'abc1234');

  it('is added at the end of a file without one, under its heading', () => {
    expect(replaceRamSection('# Benchmarks\n\nText.\n', report)).toBe(`# Benchmarks\n\nText.\n\n## RAM per box\n\n${report}\n`);
  });

  it('replaces only what lies between its markers', () => {
    const file = replaceRamSection('# B\n', report);
    const again = replaceRamSection(`${file}More text.\n`, formatRamReport([], 'def5678'));
    expect(again).toContain('at commit def5678');
    expect(again).not.toContain('abc1234');
    expect(again.startsWith('# B\n\n## RAM per box\n\n')).toBe(true);
    expect(again.endsWith('-->\nMore text.\n')).toBe(true);
  });
});

describe('examples/mandelbrot on the m33', () => {
  it('plans at least what each variant needs, within a granule per region', { timeout: 120_000 }, async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'bento-ram-table-'));
    let results;
    try {
      results = await measureRam({ examples: ['mandelbrot'], boards: [loadBoard('m33')], bounds: ['software'], outDir });
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
    const [result] = results;
    expect(result!.rule).toBe('pmsav8');
    const box = result!.boxes.find((b) => b.box === 'fractal')!;
    if (isRefused(box.module) || isRefused(box.native)) throw new Error(`fractal was refused: ${JSON.stringify(box)}`);
    const wasm = box.wasm[0]!.planned;
    if (isRefused(wasm)) throw new Error(`fractal as a Wasm box was refused: ${wasm.reason}`);

    // The linear memory holds the module's stack, data, bss and heap, rounded up to 32 bytes.
    const needs = moduleNeeds(box.module);
    expect(needs).toBe(box.module.stack + box.module.data + box.module.bss + box.module.heap);
    expect(wasm.memory).toBeGreaterThanOrEqual(needs);
    expect(wasm.memory - needs).toBeLessThan(32);
    // The RAM region holds the native stack (what the compiled code measures, far less than the
    // shadow stack's recipe `stack`) and the box's objects, within the planner's 64 bytes of
    // slack and a granule.
    expect(wasm.contents.stack).toBeGreaterThan(0);
    expect(wasm.contents.stack).toBeLessThan(box.module.stack);
    expect(wasm.contents.stack % 8).toBe(0);
    expect(wasm.contents.used).toBeGreaterThanOrEqual(wasm.contents.stack + wasm.contents.objects);
    expect(wasm.ram).toBeGreaterThanOrEqual(wasm.contents.used);
    expect(wasm.ram - wasm.contents.used).toBeLessThan(64 + 32);
    expect(wasm.ram % 32).toBe(0);
    // The parts of the overhead add up (wasmOverhead checks it), the native stack among them;
    // what the rest takes is within the target's 256 bytes (BENCHMARKS.md, "RAM per box").
    const o = wasmOverhead(box.module, wasm, 'pmsav8');
    expect(o.overhead).toBe(wasm.ram + wasm.memory - needs);
    expect(o.nativeStack).toBe(wasm.contents.stack);
    expect(o.meets).toBe(o.overhead <= 256);
    expect(o.overhead - o.nativeStack).toBeLessThanOrEqual(256);

    // As a native box: its own stack, data, bss and heap, within the slack and a granule.
    const nativeNeeds = box.native.stack + box.native.data + box.native.bss + box.native.heap;
    expect(box.native.ram).toBeGreaterThanOrEqual(nativeNeeds);
    expect(box.native.ram - nativeNeeds).toBeLessThan(64 + 32);
    expect(box.native.ram % 32).toBe(0);
    // Its stack and objects are what its region holds.
    expect(box.native.contents.stack).toBe(box.native.stack);
    // As host code its data and bss are the native box's (the same C, the same flags).
    expect(box.hostCode.data + box.hostCode.bss).toBe(box.native.data + box.native.bss);
    expect(box.hostCode.stack).toBe(box.module.stack);
    // One box: its regions at the top of RAM leave no hole on PMSAv8.
    expect(result!.holes).toEqual([{ bounds: 'software', bytes: 0 }]);
  });
});
