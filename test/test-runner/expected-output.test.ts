import { describe, expect, it } from 'vitest';
import { compileExpected, describeMismatch, matchLines, splitLines } from '../../src/test-runner/expected-output.js';

const match = (expected: string, output: string, board = 'm4') => matchLines(compileExpected(expected, board), splitLines(output));

describe('expected output with placeholders', () => {
  it('matches text exactly, one final newline aside', () => {
    expect(match('a\nb\n', 'a\nb\n')).toBeUndefined();
    expect(match('a\nb\n', 'a\nb')).toBeUndefined();
    expect(match('a\nb', 'a\r\nb\r\n')).toBeUndefined();
    expect(match('a\nb\n', 'a\nb\n\n')).toEqual({ expectedIndex: 2, outputIndex: 2 });
    expect(match('a\nb\n', 'a\nc\n')).toEqual({ expectedIndex: 1, outputIndex: 1 });
  });

  it('puts in the board name for {board}, literally', () => {
    expect(match('on {board}', 'on m4')).toBeUndefined();
    expect(match('on {board}', 'on m7')).toBeDefined();
    // A board name's dot is no wildcard.
    expect(match('on {board}', 'on v1x2', 'v1.2')).toBeDefined();
  });

  it('takes {hex} for a hex number, {num} for a decimal integer and {*} for any text', () => {
    expect(match('pc {hex} lr {hex}', 'pc 0x000001c4 lr 0xFFFFFFF9')).toBeUndefined();
    expect(match('pc {hex}', 'pc 1c4')).toBeDefined();
    expect(match('{num} ticks, {num} left', '-12 ticks, 3400 left')).toBeUndefined();
    expect(match('{num} ticks', '1.5 ticks')).toBeDefined();
    expect(match('built by {*}', 'built by clang 14.0.6 ')).toBeUndefined();
    expect(match('a {*} b', 'a x y z b')).toBeUndefined();
    expect(match('a {*} b', 'a x y z c')).toBeDefined();
  });

  it('keeps other braces and regular-expression characters as text', () => {
    expect(match('struct {x} = [1+2]*3 (ok)? $5 ^', 'struct {x} = [1+2]*3 (ok)? $5 ^')).toBeUndefined();
    expect(match('{x}', 'y')).toBeDefined();
    expect(match('a.c', 'abc')).toBeDefined();
  });

  it('lets a {...} line stand for any number of lines, none included', () => {
    const expected = 'start\n{...}\nend\n';
    expect(match(expected, 'start\nend\n')).toBeUndefined();
    expect(match(expected, 'start\n1\n2\nend\n')).toBeUndefined();
    // The wildcard may swallow a line that also matches what follows it.
    expect(match('start\n{...}\nend\nlast\n', 'start\nend\nend\nlast\n')).toBeUndefined();
    expect(match(expected, 'start\n1\n')).toEqual({ expectedIndex: 2, outputIndex: 2 });
    expect(match('{...}\n', '')).toBeUndefined();
    expect(match('a\n{...}\n', 'a\nb\nc\n')).toBeUndefined();
  });

  it('reports where the output departs, with a short diff', () => {
    const expected = compileExpected('one\ntwo\nthree\nfour\nfive\n', 'm4');
    const output = splitLines('one\ntwo\n3\n4\nfive\n');
    const at = matchLines(expected, output)!;
    expect(at).toEqual({ expectedIndex: 2, outputIndex: 2 });
    expect(describeMismatch(expected, output, at)).toEqual({
      summary: 'output differs at line 3 (expected line 3)',
      diff: ['  two', '- three', '- four', '- five', '+ 3', '+ 4', '+ five'],
    });
  });

  it('says when the output ends early or runs on', () => {
    const expected = compileExpected('a\nb\n', 'm4');
    const short = splitLines('a\n');
    expect(describeMismatch(expected, short, matchLines(expected, short)!).diff).toEqual(['  a', '- b', '+ (end of output)']);
    const long = splitLines('a\nb\nc\n');
    const at = matchLines(expected, long)!;
    expect(describeMismatch(expected, long, at)).toEqual({ summary: 'output differs at line 3 (past the last expected line)', diff: ['  b', '- (end of the expected output)', '+ c'] });
  });
});
