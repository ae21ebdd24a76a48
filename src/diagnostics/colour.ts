/**
 * Whether a stream gets ANSI colour: never when NO_COLOR is set to anything (no-color.org),
 * always when FORCE_COLOR is (for CI logs that render it), else when the stream is a terminal.
 * One rule for bento's own messages and the compilers' warnings it passes on.
 */
export function colourWanted(stream: NodeJS.WriteStream = process.stderr): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}
