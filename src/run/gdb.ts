import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { relative } from 'node:path';

/** QEMU's gdbstub on the loopback interface only, with the CPU held before its first instruction. */
export function gdbArgs(port: number): string[] {
  return ['-gdb', `tcp:127.0.0.1:${port}`, '-S'];
}

/** The command a user pastes to attach; the ELF relative to the current folder when inside it. */
export function gdbCommandLine(elf: string, port: number): string {
  const shown = relative(process.cwd(), elf);
  const path = shown.startsWith('..') || shown === '' ? elf : shown;
  return `gdb-multiarch ${quoteForShell(path)} -ex 'target remote :${port}'`;
}

function quoteForShell(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The inodes of sockets that /proc/net/tcp text lists as listening on 127.0.0.1:port (state 0A). */
export function listenersOn(procNetTcp: string, port: number): string[] {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return procNetTcp
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[1] === local && fields[3] === '0A')
    .map((fields) => fields[9]!);
}

/** Whether process `pid` holds one of these socket inodes open (false once it is gone). */
function holdsSocket(pid: number, inodes: readonly string[]): boolean {
  if (inodes.length === 0) return false;
  const wanted = new Set(inodes.map((inode) => `socket:[${inode}]`));
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return wanted.has(readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        return false; // closed while being read
      }
    });
  } catch {
    return false;
  }
}

/**
 * Resolves true once the emulator (`pid`) listens on 127.0.0.1:port, so that the command line
 * bento prints works the moment it appears and never names a port another program holds.
 * Without /proc it resolves true at once; it resolves false when `stillWaiting` says the
 * emulator is gone (its error is reported elsewhere).
 */
export async function waitForListener(port: number, pid: number, stillWaiting: () => boolean): Promise<boolean> {
  for (;;) {
    let table: string;
    try {
      table = readFileSync('/proc/net/tcp', 'utf8');
    } catch {
      return true;
    }
    if (holdsSocket(pid, listenersOn(table, port))) return true;
    if (!stillWaiting()) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}
