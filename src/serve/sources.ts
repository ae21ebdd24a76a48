import type { Board } from '../config/board.js';
import { DeviceConnection } from './device.js';
import type { DeviceConnectionOptions } from './device.js';
import { startEmulator } from './emulator.js';
import type { Emulator } from './emulator.js';
import { connectTcp, describeAddress, opener } from './link.js';
import type { DeviceAddress } from './link.js';
import type { ServerlessManifest } from './manifest.js';

/**
 * Where a device comes from and how to get it (back): a link to open, or an emulator to start.
 * The pool reconnects a device through this when it went down.
 */
export interface DeviceSource {
  readonly name: string;
  /** e.g. tcp:127.0.0.1:4000, /dev/ttyUSB0, QEMU m4 (serverless.elf) */
  readonly where: string;
  /** Emulated: connect() starts a new one (kill, start, reconnect); others wait for the device to answer again. */
  readonly restarts: boolean;
  connect(options: DeviceConnectionOptions): Promise<DeviceConnection>;
  /** Ends what connect() started (the emulator). */
  stop(): Promise<void>;
}

export function linkSource(name: string, address: DeviceAddress): DeviceSource {
  return {
    name,
    where: describeAddress(address),
    restarts: false,
    connect: (options) => DeviceConnection.open(name, opener(address), options),
    stop: async () => {},
  };
}

export interface EmulatedSourceOptions {
  manifest: ServerlessManifest;
  board: Board;
  icount: boolean;
  /** The device's console, line by line. */
  onConsoleLine?: (name: string, line: string) => void;
  /** How long a booting device has to answer its first INFO (default 20 s). */
  bootTimeoutMs?: number;
}

/** A QEMU that bento starts; connect() kills the one before, if any, and starts it afresh. */
export function emulatedSource(name: string, options: EmulatedSourceOptions): DeviceSource {
  let emulator: Emulator | undefined;
  const stop = async () => {
    await emulator?.stop();
    emulator = undefined;
  };
  return {
    name,
    where: `QEMU ${options.board.name} (${options.manifest.elf})`,
    restarts: true,
    stop,
    async connect(connectionOptions) {
      await stop();
      const started = await startEmulator({ ...options, onConsoleLine: (line) => options.onConsoleLine?.(name, line) });
      emulator = started;
      try {
        const connection = await DeviceConnection.open(name, (h) => connectTcp('127.0.0.1', started.port, h, 10_000), { openTimeoutMs: options.bootTimeoutMs ?? 20_000, ...connectionOptions });
        // QEMU's end is the device's end, whatever the socket says.
        void started.exited.then((how) => connection.close(how));
        return connection;
      } catch (err) {
        await stop();
        throw err;
      }
    },
  };
}
