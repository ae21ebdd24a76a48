import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// While `bento flash` uses a port it leaves a lock file naming itself; `bento monitor` on the
// same port sees it, gives the port up and takes it back when the lock is gone (as tockloader's
// listen does), so the two never read each other's bytes.

export function lockPath(port: string): string {
  return join(tmpdir(), `bento-port-${port.replace(/[^A-Za-z0-9]/g, '_')}.lock`);
}

/** Whether a live flash holds the port (a stale lock from a dead process does not count). */
export function portLocked(port: string): boolean {
  const file = lockPath(port);
  if (!existsSync(file)) return false;
  const pid = Number(readFileSync(file, 'utf8'));
  try {
    process.kill(pid, 0);
    return pid !== process.pid;
  } catch {
    return false;
  }
}

/** Takes the port for this process; the returned function gives it back (also on exit). */
export function lockPort(port: string): () => void {
  const file = lockPath(port);
  writeFileSync(file, String(process.pid));
  const release = () => {
    try {
      if (existsSync(file) && readFileSync(file, 'utf8') === String(process.pid)) rmSync(file);
    } catch {
      // Already gone.
    }
  };
  process.once('exit', release);
  return release;
}
