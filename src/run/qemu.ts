import { closeSync, existsSync, openSync, readSync, createWriteStream } from 'node:fs';
import type { Board } from '../config/board.js';
import { BentoError, fail } from '../diagnostics/error.js';
import { tools } from '../toolchain/tools.js';
import { spawnTied } from './children.js';
import { traceCommand } from '../toolchain/trace.js';
import { exitCodes } from './exit-codes.js';
import { gdbArgs, waitForListener } from './gdb.js';

export interface RunOptions {
  elf: string;
  board: Board;
  /** Seconds before the emulator is stopped; undefined: no limit (while a debugger drives it). */
  timeoutSeconds: number | undefined;
  /** Deterministic virtual time: one instruction = 1 ns, so counters measure instructions. */
  icount?: boolean;
  /** The UART output is also written here. */
  logFile?: string;
  /** Receives the UART output as it arrives (default: nothing; the CLI passes stdout). */
  onOutput?: (chunk: Buffer) => void;
  /** Receives the emulator's own messages (default: kept for the error message only). */
  onEmulatorMessage?: (text: string) => void;
  /** Where UART0 goes: bento's stdout (default), or a pseudo-terminal for a serial client. */
  serial?: 'stdio' | 'pty';
  /** Told the pty's path once QEMU made it. */
  onSerialPath?: (path: string) => void;
  /** Files placed in memory before the start (e.g. an application in a bootloader's slot). */
  loads?: readonly { file: string; address: number }[];
  /** Writes an instruction trace there (see traceArgs); slow, for `bento bench --latency`. */
  traceFile?: string;
  /** Starts QEMU's gdbstub on this port, the CPU held until a debugger lets it go. */
  gdbPort?: number;
  /** Told once the gdbstub listens, so a debugger can attach. */
  onGdbListening?: (port: number) => void;
  /** More emulator arguments (a plugin: `bento run --profile`). */
  extraArgs?: readonly string[];
  /**
   * Backends of the machine's further serial ports, by QEMU's index of them (1 is the second
   * `-serial`): e.g. `{ 1: 'tcp:127.0.0.1:4000,server=on,wait=off' }` for the UART that carries
   * serverless requests. Lower indexes left out get `null`.
   */
  serialPorts?: Readonly<Record<number, string>>;
}

/** `-serial` arguments for ports 1..n (port 0 is the console, set apart). */
export function furtherSerialArgs(ports: Readonly<Record<number, string>> = {}): string[] {
  const indexes = Object.keys(ports).map(Number);
  const last = indexes.length ? Math.max(...indexes) : 0;
  const args: string[] = [];
  for (let i = 1; i <= last; i++) args.push('-serial', ports[i] ?? 'null');
  return args;
}

/**
 * QEMU 7.2's instruction trace: one translated block per instruction (-singlestep), a line
 * before each block runs, unchained so none is skipped (exec,nochain), and a line each time the
 * NVIC marks a line pending. 7.2 has no one-insn-per-tb accelerator option and Debian ships no
 * TCG plugins; src/bench/latency-trace.ts reads the format.
 */
export function traceArgs(file: string): string[] {
  return ['-singlestep', '-d', 'exec,nochain,trace:nvic_set_pending', '-D', file];
}

export interface RunResult {
  /** The firmware's exit code, or exitCodes.timeout. */
  exitCode: number;
  timedOut: boolean;
  /** Everything the UART printed. */
  output: string;
  /** What QEMU itself printed on stderr. */
  emulatorOutput: string;
  seconds: number;
}

/** The board's emulator settings; a board without them is an error located at the board file. */
export function emulatorOf(board: Board): NonNullable<Board['qemu']> {
  if (!board.qemu) {
    fail('B6010', `QEMU cannot emulate board '${board.name}': its board file has no [qemu] table`, {
      location: board.at,
      hint: `\`bento build ${board.name}\` builds and links for it; run the image on the board itself (or pick an emulated board: \`bento boards\`)`,
    });
  }
  return board.qemu;
}

export function qemuArgs(board: Board, elf: string, icount = false, serial: 'stdio' | 'pty' = 'stdio', loads: RunOptions['loads'] = [], ptyLog?: string, traceFile?: string, gdbPort?: number, extraArgs: readonly string[] = [], serialPorts: RunOptions['serialPorts'] = {}): string[] {
  const qemu = emulatorOf(board);
  // On a pty QEMU itself keeps the UART log: a reader can miss the last bytes when QEMU exits.
  const uart = serial === 'pty' && ptyLog ? ['-chardev', `pty,id=uart0,logfile=${ptyLog},logappend=off`, '-serial', 'chardev:uart0'] : ['-serial', serial];
  return [
    '-M',
    qemu.machine,
    ...(qemu.cpu ? ['-cpu', qemu.cpu] : []),
    '-nographic',
    '-monitor',
    'none',
    ...uart,
    ...furtherSerialArgs(serialPorts),
    '-semihosting-config',
    'enable=on,target=native',
    ...(icount ? ['-icount', 'shift=0,align=off,sleep=off'] : []),
    ...(traceFile ? traceArgs(traceFile) : []),
    ...(gdbPort !== undefined ? gdbArgs(gdbPort) : []),
    ...extraArgs,
    ...qemu.args,
    '-kernel',
    elf,
    ...loads.flatMap((l) => ['-device', `loader,file=${l.file},addr=0x${l.address.toString(16)},force-raw=on`]),
  ];
}

function checkElf(elf: string): void {
  if (!existsSync(elf)) fail('B6001', `no firmware at ${elf}`, { hint: 'build it first with `bento build`' });
  const magic = Buffer.alloc(4);
  const fd = openSync(elf, 'r');
  try {
    readSync(fd, magic, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  if (!magic.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) fail('B6001', `${elf} is not an ELF file`);
}

/** Runs a firmware image under QEMU until it exits through semihosting or times out. */
export function runFirmware(options: RunOptions): Promise<RunResult> {
  emulatorOf(options.board);
  checkElf(options.elf);
  const started = performance.now();
  const command = tools.qemu.command;
  const pty = options.serial === 'pty';
  const args = qemuArgs(options.board, options.elf, options.icount, options.serial, options.loads, pty ? options.logFile : undefined, options.traceFile, options.gdbPort, options.extraArgs, options.serialPorts);
  traceCommand(command, args);
  const child = spawnTied(command, args);
  const gdbPort = options.gdbPort;
  if (gdbPort !== undefined) {
    const running = () => child.exitCode === null && child.signalCode === null;
    if (child.pid !== undefined) void waitForListener(gdbPort, child.pid, running).then((up) => up && options.onGdbListening?.(gdbPort));
  }
  const log = options.logFile && !pty ? createWriteStream(options.logFile) : undefined;

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let emulatorText = '';
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;

    // QEMU's own messages are held back until the firmware is clearly running (first UART byte or
    // half a second): a QEMU that fails at start-up is then reported once, in the error.
    let pending = '';
    let streaming = false;
    const startStreaming = () => {
      if (streaming) return;
      streaming = true;
      if (pending) options.onEmulatorMessage?.(pending);
      pending = '';
    };
    const streamTimer = setTimeout(startStreaming, 500);

    child.stdout.on('data', (chunk: Buffer) => {
      // With the UART on a pty, QEMU's stdout carries just the line naming the pty.
      const pty = options.serial === 'pty' ? /char device redirected to (\/dev\/pts\/\d+)/.exec(chunk.toString('utf8')) : null;
      if (pty) {
        options.onSerialPath?.(pty[1]!);
        startStreaming();
        return;
      }
      startStreaming();
      chunks.push(chunk);
      log?.write(chunk);
      options.onOutput?.(chunk);
    });
    const quiet = emulatorOf(options.board).quiet;
    child.stderr.setEncoding('utf8').on('data', (raw: string) => {
      // Messages the board file names as QEMU's harmless noise (e.g. lm3s6965evb's at start-up).
      const text = quiet.length ? raw.split(/(?<=\n)/).filter((line) => !quiet.includes(line.trimEnd())).join('') : raw;
      if (!text) return;
      emulatorText += text;
      // Once bento stops QEMU itself, QEMU's "terminating on signal" is noise.
      if (timedOut) return;
      if (streaming) options.onEmulatorMessage?.(text);
      else pending += text;
    });
    const limit = options.timeoutSeconds;
    const timer =
      limit === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGTERM');
            killTimer = setTimeout(() => child.kill('SIGKILL'), 2000);
          }, limit * 1000);

    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      clearTimeout(streamTimer);
      log?.end();
      reject(
        new BentoError({
          code: err.code === 'ENOENT' ? 'B5001' : 'B6002',
          message: err.code === 'ENOENT' ? `${command} not found` : `cannot start ${command}: ${err.message}`,
          hint: `install the Debian package ${tools.qemu.package}, or run scripts/setup.sh`,
        }),
      );
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      clearTimeout(streamTimer);
      const emulatorFailed = status !== 0 && /^qemu-system-arm: /m.test(emulatorText);
      // A short run ends before the hold-back period: its stderr is the firmware's, so show it.
      if (!emulatorFailed && !timedOut) startStreaming();
      clearTimeout(killTimer);
      const finish = () => {
        const result = { output: Buffer.concat(chunks).toString('utf8'), emulatorOutput: emulatorText, seconds: (performance.now() - started) / 1000 };
        if (timedOut) return resolve({ ...result, exitCode: exitCodes.timeout, timedOut: true });
        if (emulatorFailed) {
          const shown = streaming ? ' (its messages are above)' : `:\n${emulatorText.trim()}`;
          return reject(
            new BentoError({
              code: 'B6002',
              message: `QEMU could not run ${options.elf}${shown}`,
              hint: gdbPort !== undefined && /-gdb/.test(emulatorText) ? `pick another port with --gdb-port` : `check the [qemu] table of ${options.board.file}`,
            }),
          );
        }
        if (status === null) return reject(new BentoError({ code: 'B6002', message: `QEMU was killed while running ${options.elf}` }));
        resolve({ ...result, exitCode: status, timedOut: false });
      };
      if (log) log.end(finish);
      else finish();
    });
  });
}
