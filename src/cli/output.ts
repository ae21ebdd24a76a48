/**
 * How much bento says, and whether it uses colour: one place, so every command follows
 * -q / -v / --json and NO_COLOR the same way. Results go to stdout; progress, warnings and
 * errors to stderr, so `bento size m4 --json | jq` and `bento run m4 > log` stay clean.
 */
export type Verbosity = 'quiet' | 'normal' | 'verbose';

let verbosity: Verbosity = 'normal';

export function setVerbosity(v: Verbosity): void {
  verbosity = v;
}

export function currentVerbosity(): Verbosity {
  return verbosity;
}

/** Colour on a terminal only (NO_COLOR, FORCE_COLOR): the rule in diagnostics/colour.ts. */
export { colourWanted as useColour } from '../diagnostics/colour.js';

/** A line of progress on stderr; -q silences it. */
export function progress(message: string): void {
  if (verbosity !== 'quiet') process.stderr.write(`  ${message}\n`);
}

/** A line only -v shows. */
export function detail(message: string): void {
  if (verbosity === 'verbose') process.stderr.write(`  ${message}\n`);
}

/** A line that belongs to bento's own account of what happened (headers, summaries) on stderr; -q silences it. */
export function note(message: string): void {
  if (verbosity !== 'quiet') process.stderr.write(`${message}\n`);
}

/**
 * The build's steps as a user wants them: what was done (compiled, linked, assembled) under a
 * header printed when the first piece of work starts; what was up to date only with -v; other
 * facts (a box's native stack) with the work they belong to, so a build with nothing to do prints
 * none of them. `worked` says whether anything was done.
 */
export function buildSteps(header: string): { onStep: (message: string) => void; readonly worked: boolean } {
  let worked = false;
  let headed = false;
  const held: string[] = [];
  const head = () => {
    if (!headed) note(header);
    headed = true;
  };
  if (verbosity === 'verbose') head();
  return {
    onStep(message: string) {
      if (message.startsWith('up to date ')) return detail(message);
      if (!/^(compiled|linked|assembled) /.test(message) && !worked && verbosity !== 'verbose') {
        held.push(message);
        return;
      }
      worked ||= /^(compiled|linked|assembled) /.test(message);
      if (verbosity === 'quiet') return;
      head();
      for (const m of held.splice(0)) progress(m);
      progress(message);
    },
    get worked() {
      return worked;
    },
  };
}

/** A command's result as JSON on stdout (what --json prints): one document, pretty-printed. */
export function printJsonValue(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
