// The latency report: verdicts against the baseline, misses listed, and --markdown's section
// replaced in place with the rest of the file kept.
import { describe, expect, it } from 'vitest';
import type { BoardLatency, CaseLatency } from '../../src/bench/latency.js';
import { formatLatencyReport, latencyMisses, latencyVerdict, replaceLatencySection } from '../../src/bench/latency-report.js';

const c = (name: string, worst: number, typical = 31): CaseLatency => ({ name, samples: 10, worst, typical, best: typical, firmwareHandled: 10, raised: 10, handled: 10, outsideWindow: 0, worstIn: 'f', entered: {} });
const board: BoardLatency = { board: 'm4', timer: 'timer', baseline: c('host', 14, 14), cases: [c('host', 31), c('boundary', 44), c('fault', 45)], problems: [] };

describe('latency report', () => {
  it('judges each case by its worst case over the baseline worst, 30 allowed', () => {
    expect(latencyVerdict(c('boundary', 44), c('host', 14))).toEqual({ over: 30, meets: true });
    expect(latencyVerdict(c('fault', 45), c('host', 14))).toEqual({ over: 31, meets: false });
    expect(latencyVerdict(c('x', NaN), c('host', 14)).meets).toBe(false);
    expect(latencyMisses([board, { board: 'stm32f405', missing: 'no timer' }])).toEqual(['m4: fault +31']);
  });

  it('replaces its own section and keeps the rest, or adds it at the end', () => {
    const first = formatLatencyReport([board], 'aaaaaaa');
    expect(first).toContain('**Missed**: m4: fault +31');
    expect(first).toContain('| fault: ');
    const added = replaceLatencySection('# Benchmarks\n\nkept\n', first);
    expect(added).toBe(`# Benchmarks\n\nkept\n\n## Interrupt latency\n\n${first}\n`);
    const second = formatLatencyReport([{ board: 'm4', missing: 'no timer' }], 'bbbbbbb');
    const replaced = replaceLatencySection(`${added}## After\n`, second);
    expect(replaced).toBe(`# Benchmarks\n\nkept\n\n## Interrupt latency\n\n${second}\n## After\n`);
  });
});
