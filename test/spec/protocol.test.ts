import { describe, expect, it } from 'vitest';
import { trapMatches, trapName } from '../../src/spec/judge.js';
import { parseReport } from '../../src/spec/protocol.js';

describe('parseReport', () => {
  it('reads each outcome and the start and end lines', () => {
    const report = parseReport(['S 4', 'R 0 ok', 'R 3 fail 7fc00000 ffffffffffffffff', 'R 5 trap 9', 'R 7 fail', 'E 4', ''].join('\n'));
    expect(report.started).toBe(true);
    expect(report.ended).toBe(true);
    expect(report.other).toEqual([]);
    expect(report.outcomes).toEqual(
      new Map([
        [0, { kind: 'ok' }],
        [3, { kind: 'returned', bits: [0x7fc0_0000n, 0xffff_ffff_ffff_ffffn] }],
        [5, { kind: 'trap', trap: 9 }],
        [7, { kind: 'returned', bits: [] }],
      ]),
    );
  });

  it('keeps a fault report as other lines and notices the missing end', () => {
    const report = parseReport('S 2\r\nR 0 ok\r\n\r\n*** bento: BusFault\r\n  CFSR 0x00008200 PRECISERR BFARVALID\r\n');
    expect(report.ended).toBe(false);
    expect(report.outcomes.size).toBe(1);
    expect(report.other).toEqual(['*** bento: BusFault', '  CFSR 0x00008200 PRECISERR BFARVALID']);
  });
});

describe('trap names', () => {
  it('match the reference interpreter wording', () => {
    expect(trapMatches('integer divide by zero', 2)).toBe(true);
    expect(trapMatches('uninitialized element 2', 7)).toBe(true);
    expect(trapMatches('undefined element', 6)).toBe(true);
    expect(trapMatches('out of bounds memory access', 6)).toBe(false);
    expect(trapMatches('unreachable', 1)).toBe(true);
  });

  it('names the harness kinds', () => {
    expect(trapName(0x100 + 3)).toBe('proc_exit(3)');
    expect(trapName(0x200)).toMatch(/watchdog/);
    expect(trapName(99)).toBe('unknown trap 99');
  });
});
