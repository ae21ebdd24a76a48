import { readFileSync } from 'node:fs';
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

/** Whether /proc/net/tcp text lists a socket listening on 127.0.0.1:port (state 0A). */
export function listensOn(procNetTcp: string, port: number): boolean {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return procNetTcp.split('\n').some((line) => {
    const fields = line.trim().split(/\s+/);
    return fields[1] === local && fields[3] === '0A';
  });
}

/**
 * Resolves once something listens on 127.0.0.1:port, so that the command line bento prints works
 * the moment it appears. Where /proc/net/tcp cannot be read it resolves at once; it gives up
 * when `stillWaiting` says the emulator is gone (its error is reported elsewhere).
 */
export async function waitForListener(port: number, stillWaiting: () => boolean): Promise<boolean> {
  for (;;) {
    let table: string;
    try {
      table = readFileSync('/proc/net/tcp', 'utf8');
    } catch {
      return true;
    }
    if (listensOn(table, port)) return true;
    if (!stillWaiting()) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}
