import { spawn } from 'node:child_process';
import { BentoError } from '../diagnostics/error.js';
import type { ErrorCode } from '../diagnostics/codes.js';
import { tools } from './tools.js';
import type { ToolName } from './tools.js';

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
}

/** Runs one of the catalogued tools; a missing tool or a failure becomes a BentoError. */
export function runTool(name: ToolName, args: readonly string[], options: RunToolOptions = {}): Promise<ToolResult> {
  const tool = tools[name];
  const command = 'command' in tool ? tool.command : name;
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
      if (status === 0) return resolve({ stdout, stderr });
      const what = options.doing ?? `${command} ${args.join(' ')}`;
      const why = signal ? `killed by ${signal}` : `exit code ${status}`;
      reject(new BentoError({ code: options.failCode ?? 'B5004', message: `${what} failed (${why}):\n${stderr.trim() || stdout.trim()}` }));
    });
  });
}
