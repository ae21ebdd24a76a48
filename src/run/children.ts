import { spawn } from 'node:child_process';
import type { ChildProcess, ChildProcessWithoutNullStreams } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

// Every emulator bento starts is registered here, so that no way of ending bento (normal exit,
// Ctrl-C, kill, an uncaught error) leaves one running.
const live = new Set<ChildProcess>();
let installed = false;

function killAll(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      killAll();
      process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const)[signal]);
    });
  }
}

export function track(child: ChildProcess): void {
  install();
  live.add(child);
  child.on('exit', () => live.delete(child));
}

/** The program's path when `command` is an executable on PATH (or a path to one). */
export function findOnPath(command: string): string | undefined {
  const candidates = command.includes('/') ? [command] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, command));
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK);
      if (statSync(path).isFile()) return path;
    } catch {
      // not here: try the next folder
    }
  }
  return undefined;
}

/**
 * Starts a child, its stdio piped, that the kernel kills when bento dies, even by SIGKILL, which
 * no handler above sees: `setpriv --pdeathsig KILL` (util-linux) sets the death signal and then
 * execs the command, so the child keeps its pid and its own name. Without setpriv, or when the
 * command is not on PATH (so that the caller still gets node's ENOENT, not a message from
 * setpriv), it is started straight and only the handlers above stop it.
 */
export function spawnTied(command: string, args: readonly string[]): ChildProcessWithoutNullStreams {
  const setpriv = findOnPath('setpriv');
  const piped = { stdio: 'pipe' } as const;
  const child = setpriv && findOnPath(command) ? spawn(setpriv, ['--pdeathsig', 'KILL', '--', command, ...args], piped) : spawn(command, args, piped);
  track(child);
  return child;
}
