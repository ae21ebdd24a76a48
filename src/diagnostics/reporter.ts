// Where bento's own side output goes while it works: compiler and linker warnings, and the
// trace of tool command lines (`-v`). One sink, so that a quiet or machine-readable mode can
// silence or redirect all of it in one place instead of hunting down console.error calls.

import { colourWanted } from './colour.js';

/** What a reported text is: a tool's warnings (shown as the tool printed them), or a traced command line. */
export type ReportKind = 'warning' | 'trace';

export interface ReportSink {
  write(kind: ReportKind, text: string): void;
  /** Whether the sink shows the compilers' ANSI colours (a terminal does, a log file does not). */
  colour: boolean;
}


const stderrSink: ReportSink = {
  write: (_kind, text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  get colour() {
    return colourWanted(process.stderr);
  },
};

let sink: ReportSink = stderrSink;

/** Sends reports somewhere else (undefined: back to stderr). */
export function setReportSink(next: ReportSink | undefined): void {
  sink = next ?? stderrSink;
}

export function report(kind: ReportKind, text: string): void {
  sink.write(kind, text);
}

/** Whether tools should colour what they print for the current sink. */
export function reportInColour(): boolean {
  return sink.colour;
}
