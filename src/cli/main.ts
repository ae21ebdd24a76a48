import { BentoError } from '../diagnostics/error.js';
import { formatDiagnostic } from '../diagnostics/print.js';
import { closest } from '../diagnostics/suggest.js';
import { commandHelp, parseCommandArgs } from './command.js';
import { setVerbosity, useColour } from './output.js';
import { traceTools } from '../toolchain/trace.js';
import type { Command } from './command.js';
import { boardsCommand } from './commands/boards.js';
import { buildCommand } from './commands/build.js';
import { compileCommand } from './commands/compile.js';
import { runWasmCommand } from './commands/run-wasm.js';
import { schemaCommand } from './commands/schema.js';
import { specCommand } from './commands/spec.js';
import { doctorCommand } from './commands/doctor.js';
import { runCommand } from './commands/run.js';
import { benchCommand } from './commands/bench.js';
import { flashCommand } from './commands/flash.js';
import { monitorCommand } from './commands/monitor.js';
import { planCommand, sizeCommand } from './commands/size.js';
import { completionCommand } from './commands/completion.js';
import { newCommand } from './commands/new.js';
import { testCommand } from './commands/test.js';
import { invokeCommand } from './commands/invoke.js';
import { serveCommand } from './commands/serve.js';

const commands: readonly Command[] = [
  newCommand,
  buildCommand,
  runCommand,
  testCommand,
  flashCommand,
  monitorCommand,
  sizeCommand,
  planCommand,
  benchCommand,
  serveCommand,
  invokeCommand,
  compileCommand,
  runWasmCommand,
  specCommand,
  boardsCommand,
  schemaCommand,
  doctorCommand,
  completionCommand(() => commands),
];

const version = '0.1.0';

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'bento: build memory-isolated firmware for Arm Cortex-M and run it on QEMU',
    '',
    'Usage: bento <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `bento <command> --help` for the options of a command.',
  ].join('\n');
}

/**
 * A reader that goes away (`bento run m4 | head`) ends bento as it ends other Unix tools: quietly,
 * with 128 + SIGPIPE; the exit handler stops any emulator still running (run/children.ts).
 */
let pipeWatched = false;
function quitOnClosedPipe(): void {
  if (pipeWatched) return;
  pipeWatched = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(141);
    throw err;
  });
}

const globalFlag = /^(-v|-q|--verbose|--quiet|-vq|-qv)$/;

/** The only place that catches errors, prints them and chooses the exit code. */
export async function main(argv: string[]): Promise<number> {
  quitOnClosedPipe();
  // The global flags may come before the command too (`bento -q build m4`), as git takes them.
  const leading = argv.findIndex((a) => !globalFlag.test(a));
  const globals = leading < 0 ? argv : argv.slice(0, leading);
  const [first, ...afterCommand] = leading < 0 ? [] : argv.slice(leading);
  const afterFirst = [...afterCommand, ...globals];
  if (first === undefined && globals.length > 0 && !globals.some((g) => /^(-h|--help)$/.test(g))) {
    console.error('error[B9001]: a command is needed after ' + globals.join(' '));
    console.error('  hint: see `bento --help`');
    return 2;
  }
  // `bento help build` is `bento build --help`, as git and cargo have it.
  const helpFor = first === 'help' && afterFirst.length > 0;
  const name = helpFor ? afterFirst[0] : first;
  const rest = helpFor ? ['--help'] : afterFirst;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(overview());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    console.log(`bento ${version}`);
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  try {
    if (!cmd) {
      const guess = closest(name, commands.map((c) => c.name));
      throw new BentoError({ code: 'B9001', message: `unknown command '${name}'`, hint: guess ? `did you mean \`bento ${guess}\`?` : 'see `bento --help`' });
    }
    const { values, positionals } = parseCommandArgs(cmd, rest);
    setVerbosity(values.verbose ? 'verbose' : values.quiet ? 'quiet' : 'normal');
    traceTools(values.verbose === true);
    if (values.help) {
      console.log(commandHelp(cmd));
      return 0;
    }
    return await cmd.run(positionals, values);
  } catch (err) {
    if (err instanceof BentoError) {
      const colour = useColour();
      for (const d of err.diagnostics) console.error(formatDiagnostic(d, colour));
      return err.code === 'B9001' ? 2 : 1;
    }
    // Anything else is a bug in bento: say so plainly, with the trace for the report.
    console.error(`bento: internal error: ${(err as Error)?.stack ?? err}`);
    console.error('This is a bug in bento; please report it with the command you ran.');
    return 70;
  }
}
