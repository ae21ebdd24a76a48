import type { ChildProcess } from 'node:child_process';

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
