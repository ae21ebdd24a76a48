/**
 * Expected UART output with placeholders, matched line by line. In a line:
 *   {board}  the board's name        {hex}  a hex number, 0x1f        {num}  a decimal integer, -42
 *   {*}      any text (to the end of the line, or up to what follows it)
 * A line that is only `{...}` stands for any number of lines, none included. Anything else in
 * braces is literal text. One final newline is not significant on either side.
 */

export type ExpectedLine =
  | { kind: 'line'; /** 1-based, in the expected file */ number: number; text: string; pattern: RegExp }
  | { kind: 'any-lines'; number: number; text: string };

const placeholders: Record<string, string> = { hex: '0x[0-9a-fA-F]+', num: '-?[0-9]+', '*': '.*' };
const token = /\{(board|hex|num|\*)\}/g;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function splitLines(text: string): string[] {
  const unified = text.replace(/\r\n/g, '\n');
  const body = unified.endsWith('\n') ? unified.slice(0, -1) : unified;
  return body === '' ? [] : body.split('\n');
}

/** Turns an expected-output file into line matchers for one board. */
export function compileExpected(text: string, board: string): ExpectedLine[] {
  return splitLines(text).map((line, i) => {
    if (line.trim() === '{...}') return { kind: 'any-lines', number: i + 1, text: line };
    let source = '';
    let last = 0;
    for (const m of line.matchAll(token)) {
      source += escapeRegExp(line.slice(last, m.index));
      source += m[1] === 'board' ? escapeRegExp(board) : placeholders[m[1]!];
      last = m.index! + m[0].length;
    }
    source += escapeRegExp(line.slice(last));
    return { kind: 'line', number: i + 1, text: line, pattern: new RegExp(`^${source}$`) };
  });
}

/** Where the output first departs from what was expected (indexes are 0-based). */
export interface Mismatch {
  /** The expected line that could not be matched, or expected.length when output runs on. */
  expectedIndex: number;
  /** The output line that did not match, or output.length when the output ended too early. */
  outputIndex: number;
}

/**
 * Matches output lines against expected lines; undefined when they match. `{...}` lines make
 * this a search: every expected position reachable at each output line is kept, so the answer
 * never depends on how many lines a wildcard takes first. A mismatch is reported where the
 * furthest-reaching position failed.
 */
export function matchLines(expected: readonly ExpectedLine[], output: readonly string[]): Mismatch | undefined {
  const close = (positions: Set<number>) => {
    for (const i of [...positions]) {
      for (let k = i; k < expected.length && expected[k]!.kind === 'any-lines'; k++) positions.add(k + 1);
    }
    return positions;
  };
  let reachable = close(new Set([0]));
  for (let j = 0; j < output.length; j++) {
    const next = new Set<number>();
    for (const i of reachable) {
      const e = expected[i];
      if (e === undefined) continue;
      if (e.kind === 'any-lines') next.add(i);
      else if (e.pattern.test(output[j]!)) next.add(i + 1);
    }
    if (next.size === 0) return { expectedIndex: Math.max(...reachable), outputIndex: j };
    reachable = close(next);
  }
  if (reachable.has(expected.length)) return undefined;
  return { expectedIndex: Math.max(...reachable), outputIndex: output.length };
}

/**
 * A short diff at the first difference: the line number, then one line of context and up to
 * `lines` expected lines (-) and output lines (+) from there, as unified diffs show them.
 */
export function describeMismatch(expected: readonly ExpectedLine[], output: readonly string[], at: Mismatch, lines = 3): { summary: string; diff: string[] } {
  const want = expected.slice(at.expectedIndex, at.expectedIndex + lines).map((e) => `- ${e.text}`);
  if (at.expectedIndex >= expected.length) want.push('- (end of the expected output)');
  const got = output.slice(at.outputIndex, at.outputIndex + lines).map((l) => `+ ${l}`);
  if (at.outputIndex >= output.length) got.push('+ (end of output)');
  const context = at.outputIndex > 0 ? [`  ${output[at.outputIndex - 1]}`] : [];
  const where = at.expectedIndex < expected.length ? `expected line ${expected[at.expectedIndex]!.number}` : 'past the last expected line';
  return { summary: `output differs at line ${at.outputIndex + 1} (${where})`, diff: [...context, ...want, ...got] };
}
