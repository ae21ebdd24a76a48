// The trace reader on hand-written QEMU 7.2 trace lines: withdrawn blocks are not counted, a
// raise is matched to the next handler entry, and raises outside the action are kept apart.
import { describe, expect, it } from 'vitest';
import { LatencyTraceReader } from '../../src/bench/latency-trace.js';

const symbols = { handler: 0xc0, windowOpen: 0xe2, windowClose: 0xe6, cases: new Map([[0x11a, 'host']]), irqLine: 8, watched: new Map([[0x3a0, 'vector']]) };
const at = (pc: number) => `Trace 0: 0x7f0ec0023640 [00800408/${pc.toString(16).padStart(8, '0')}/00000010/ff020201] f\n`;
const raise = (irq: number) => `nvic_set_pending NVIC set pending irq ${irq} secure-bank 0 targets_secure 0 derived 0 (enabled: 1 priority 1)\n`;

describe('LatencyTraceReader', () => {
  it('counts the instructions that ran between the raise and the handler', () => {
    const reader = new LatencyTraceReader(symbols);
    const text =
      at(0x11a) + at(0xe2) + at(0x200) +
      at(0x1fe) + 'Stopped execution of TB chain before 0x7f0ec0023640 [000001fe] latency_pad\n' + // withdrawn
      raise(24) + at(0x3a0) + at(0x3a4) +
      at(0x3a6) + 'cpu_io_recompile: rewound execution of TB to 000003a6\n' + at(0x3a6) + // run once
      at(0xc0) + at(0xc4) + at(0xe6);
    // fed in pieces that split lines
    for (let i = 0; i < text.length; i += 37) reader.feed(text.slice(i, i + 37));
    const trace = reader.finish();
    expect(trace.cases).toEqual([
      // window opened at instruction 1 (0xe2): the raise came after 2 more, the watched entry 2 later
      { name: 'host', latencies: [3], worst: { latency: 3, pc: 0x200 }, outsideWindow: 0, raised: 1, handled: 1, raisedAt: { min: 2, max: 2 }, entered: { vector: { min: 2, max: 2 } } },
    ]);
    expect(trace.instructions).toBe(9);
    expect(trace.unexpectedEntries).toBe(0);
  });

  it('keeps raises after the window apart, ignores other lines, and reports a handler without a raise', () => {
    const reader = new LatencyTraceReader(symbols);
    reader.feed(at(0x11a) + at(0xe2) + at(0xe6) + raise(25) + raise(24) + at(0x300) + at(0xc0) + at(0xc0));
    const trace = reader.finish();
    expect(trace.cases[0]).toMatchObject({ latencies: [], outsideWindow: 1, raised: 1, handled: 1 });
    expect(trace.unexpectedEntries).toBe(1);
  });
});
