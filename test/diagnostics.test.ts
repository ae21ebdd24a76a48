import { describe, expect, it } from 'vitest';
import { closest } from '../src/diagnostics/suggest.js';
import { formatDiagnostic } from '../src/diagnostics/print.js';

describe('closest', () => {
  it.each([
    ['stak', ['stack', 'heap'], 'stack'],
    ['biuld', ['build', 'run'], 'build'],
    ['clock', ['core', 'clock-hz'], 'clock-hz'],
    ['float_abi', ['fpu', 'float-abi'], 'float-abi'],
    ['zzz', ['stack', 'heap'], undefined],
    // Another case of a candidate beats a candidate one edit away that comes first.
    ['timer1', ['TIMER0', 'TIMER1'], 'TIMER1'],
    ['TIMR1', ['TIMER0', 'TIMER1'], 'TIMER1'],
  ])('%s -> %s', (word, candidates, expected) => {
    expect(closest(word, candidates)).toBe(expected);
  });
});

describe('formatDiagnostic', () => {
  it('puts the location first and the hint on its own line', () => {
    const text = formatDiagnostic({ code: 'B1001', message: "unknown key 'stak'", location: { file: 'bento.toml', line: 12, column: 5 }, hint: "did you mean 'stack'?" });
    expect(text).toBe("bento.toml:12:5: error[B1001]: unknown key 'stak'\n  hint: did you mean 'stack'?");
  });

  it('prints a byte offset for binary inputs', () => {
    const text = formatDiagnostic({ code: 'B1004', message: 'x', location: { file: 'a.wasm', offset: 0x1c, context: 'section code, function 3' } });
    expect(text).toBe('a.wasm+0x1c (section code, function 3): error[B1004]: x');
  });
});
