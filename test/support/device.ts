// A board in its bootloader under QEMU with UART0 on a pty, for flashing tests.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bentoBin } from './cli.js';

export interface Device {
  pty: string;
  /** QEMU's log of everything UART0 sent. */
  log: string;
  child: ChildProcess;
  /** QEMU's exit: the application's exit code once it ran and ended. */
  exited: Promise<number | null>;
  stop(): void;
}

/** Starts `bento run <board> --bootloader --serial pty` in `cwd` and waits for the pty's name. */
export function startDevice(board: string, cwd: string, extra: string[] = []): Promise<Device> {
  const log = join(mkdtempSync(join(tmpdir(), 'bento-device-')), 'uart.log');
  const child = spawn(process.execPath, [bentoBin, 'run', board, '--bootloader', '--serial', 'pty', '--timeout', '120', '--log', log, ...extra], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no pty after 30 s:\n${err}`)), 30_000);
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      err += text;
      const m = /UART0 is on (\/dev\/pts\/\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ pty: m[1]!, log, child, exited, stop: () => child.kill('SIGTERM') });
      }
    });
    child.on('close', () => reject(new Error(`device ended before its pty appeared:\n${err}`)));
  });
}
