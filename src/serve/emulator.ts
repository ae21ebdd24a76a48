import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import type { Board } from '../config/board.js';
import { spawnTied } from '../run/children.js';
import { qemuArgs } from '../run/qemu.js';
import { tools } from '../toolchain/tools.js';
import type { ServerlessManifest } from './manifest.js';

/** A TCP port nobody listens on now (the kernel's pick), for QEMU to serve the request UART on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * QEMU's messages that say nothing about the device: its notice that it waits for bento to
 * connect, and -icount sleep=off's warning that an idle device has no timer to wake it.
 */
const qemuNoise = /waiting for connection|icount sleep disabled and no active timers/;

export interface EmulatorOptions {
  manifest: ServerlessManifest;
  board: Board;
  icount: boolean;
  /** Each line the console (serial 0) prints, without its newline. */
  onConsoleLine?: (line: string) => void;
}

export interface Emulator {
  /** The request UART, served by QEMU on 127.0.0.1: it starts the CPU once bento connects. */
  readonly port: number;
  readonly child: ChildProcess;
  /** Settles when QEMU exits, with how. */
  readonly exited: Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts QEMU on a serverless image with its request UART on a TCP server. bento starts QEMU
 * itself rather than through runFirmware, which has no way to stop a run before its timeout:
 * a gateway must kill and restart a device that stopped answering. The console is kept as the
 * device's log.
 */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const port = await freePort();
  const serial = { [options.manifest.uart.qemuSerial]: `tcp:127.0.0.1:${port},server=on,wait=on` };
  const args = qemuArgs(options.board, options.manifest.elf, options.icount, 'stdio', [], undefined, undefined, undefined, [], serial);
  const child = spawnTied(tools.qemu.command, args);
  let partial = '';
  const emit = (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop()!;
    for (const line of lines) options.onConsoleLine?.(line.replace(/\r$/, ''));
  };
  child.stdout.setEncoding('utf8').on('data', emit);
  let partialErr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    const lines = (partialErr + text).split('\n');
    partialErr = lines.pop()!;
    for (const line of lines) if (line && !qemuNoise.test(line)) options.onConsoleLine?.(`[qemu] ${line}`);
  });
  const exited = new Promise<string>((resolve) => {
    child.on('error', (err) => resolve(`QEMU could not start: ${err.message}`));
    child.on('exit', (code, signal) => {
      if (partial) options.onConsoleLine?.(partial);
      partial = '';
      resolve(signal ? `QEMU was stopped by ${signal}` : `QEMU exited with code ${code}`);
    });
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  return { port, child, exited, stop };
}
