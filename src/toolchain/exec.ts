import { spawn } from 'node:child_process';
import { BentoError } from '../diagnostics/error.js';
import type { ErrorCode } from '../diagnostics/codes.js';
import { report, reportInColour } from '../diagnostics/reporter.js';
import { tools } from './tools.js';
import type { ToolName } from './tools.js';
import { traceCommand } from './trace.js';

export { traceTools, traceCommand } from './trace.js';

export interface ToolResult {
  stdout: string;
  stderr: string;
}

export interface RunToolOptions {
  cwd?: string;
  /** The error code for a non-zero exit (compile failed, link failed, ...). */
  failCode?: ErrorCode;
  /** What was being done, for the error message: "compiling main.c". */
  doing?: string;
  /**
   * The run compiles or links: what the tool prints on stderr when it succeeds (warnings) is
   * reported, and clang and gcc are told whether to colour it (a flag outside every cache key).
   */
  warnings?: boolean;
}

/** A tool's non-zero exit, kept as the cause of its BentoError so that a stage can read what it printed. */
export class ToolFailure extends Error {
  constructor(
    readonly command: string,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`${command} failed`);
    this.name = 'ToolFailure';
  }
}

/** What the failed tool behind `err` printed on stderr, colours taken out; undefined for other errors. */
export function failedToolOutput(err: unknown): string | undefined {
  return err instanceof BentoError && err.cause instanceof ToolFailure ? withoutColour(err.cause.stderr) : undefined;
}

/** The flag that makes clang or gcc colour its diagnostics, or not, as the report sink wants. */
export function colourFlag(name: ToolName): string | undefined {
  const colour = reportInColour();
  if (name === 'clang') return colour ? '-fcolor-diagnostics' : '-fno-color-diagnostics';
  if (name === 'gcc') return colour ? '-fdiagnostics-color=always' : '-fdiagnostics-color=never';
  return undefined;
}

/** Takes the colours out of a tool's output, for reading it. */
export function withoutColour(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

/** Runs one of the catalogued tools; a missing tool or a failure becomes a BentoError. */
export function runTool(name: ToolName, given: readonly string[], options: RunToolOptions = {}): Promise<ToolResult> {
  const tool = tools[name];
  const command = 'command' in tool ? tool.command : name;
  const colour = options.warnings ? colourFlag(name) : undefined;
  const args = colour ? [colour, ...given] : given;
  traceCommand(command, args, options.cwd);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') {
        reject(
          new BentoError({
            code: 'B5001',
            message: `${command} not found (${tool.purpose})`,
            hint: `install the Debian package ${tool.package}, or run scripts/setup.sh; \`bento doctor\` checks everything`,
          }),
        );
      } else {
        reject(new BentoError({ code: 'B5004', message: `cannot run ${command}: ${err.message}` }));
      }
    });
    child.on('close', (status, signal) => {
      if (status === 0) {
        if (options.warnings && stderr.trim() !== '') report('warning', stderr);
        return resolve({ stdout, stderr });
      }
      const what = options.doing ?? `${command} ${args.join(' ')}`;
      const why = signal ? `killed by ${signal}` : `exit code ${status}`;
      const diagnostic = { code: options.failCode ?? 'B5004', message: `${what} failed (${why}):\n${stderr.trim() || stdout.trim()}` } as const;
      reject(new BentoError(diagnostic, { cause: new ToolFailure(command, stdout, stderr) }));
    });
  });
}
