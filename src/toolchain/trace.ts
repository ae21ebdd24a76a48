// The trace of tool runs behind `bento -v`: each command line, as a shell would take it back,
// before the tool starts.
import { report } from '../diagnostics/reporter.js';

/** What starts every traced line, so it stands out among progress lines and tool output. */
export const tracePrefix = 'bento$ ';

let tracing = false;

/** Turns the printing of every tool's command line on or off (the CLI's `-v`). */
export function traceTools(on: boolean): void {
  tracing = on;
}

/** Characters a POSIX shell takes literally outside quotes. */
const plainWord = /^[A-Za-z0-9_+=.,/:@%^-]+$/;

/** One argument as a POSIX shell reads it back: bare when it can be, else in single quotes. */
export function shellQuote(word: string): string {
  if (plainWord.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The command line of a run, one line: `bento$ clang-14 -c 'my file.c'` (with `cd DIR &&` when it runs elsewhere). */
export function formatCommand(command: string, args: readonly string[], cwd?: string): string {
  const line = [command, ...args].map(shellQuote).join(' ');
  return `${tracePrefix}${cwd ? `cd ${shellQuote(cwd)} && ` : ''}${line}`;
}

/** Reports a command line about to run, when tracing is on; for spawns outside runTool (QEMU) too. */
export function traceCommand(command: string, args: readonly string[], cwd?: string): void {
  if (tracing) report('trace', formatCommand(command, args, cwd));
}
