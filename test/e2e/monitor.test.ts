// bento monitor against QEMU: the port handed to bento flash and back 20 times without a byte
// lost or shown twice, keys sent to the device (piped, and typed in a real pseudo-terminal),
// the end of the emulator noticed without spinning, and ports found without --port.
// One QEMU and one build serve the m4 tests; the echo firmware is test/fixtures/flash/echo.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bento, bentoBin, projectRoot } from '../support/cli.js';
import { startDevice } from '../support/device.js';
import type { Device } from '../support/device.js';
import { candidateReason, listPorts } from '../../src/flash/port-list.js';

const run = promisify(execFile);
const echoDir = join(projectRoot, 'test/fixtures/flash/echo');
/** What the echo firmware prints as it starts (main.c). */
const block = (board: string) =>
  Array.from({ length: 12 }, (_, i) => `echo ${board}: line ${String(i + 1).padStart(2, '0')} of 12, the monitor must show every byte of it\n`).join('');

interface Running {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  ended: Promise<number | null>;
  /** Resolves once stdout holds at least `length` characters (or after `ms`). */
  waitFor(length: number, ms: number): Promise<void>;
}

function startMonitor(port: string): Running {
  const child = spawn(process.execPath, [bentoBin, 'monitor', '--port', port], { cwd: echoDir, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let waiter: (() => void) | undefined;
  child.stdout!.setEncoding('latin1').on('data', (d: string) => {
    out += d;
    waiter?.();
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err += d;
    waiter?.();
  });
  const ended = new Promise<number | null>((resolve) => child.on('close', resolve));
  const waitFor = (length: number, ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        waiter = undefined;
        resolve();
      }
      waiter = () => out.length >= length && done();
      waiter();
    });
  return { child, out: () => out, err: () => err, ended, waitFor };
}

async function until(test: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!test() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
}

/** utime + stime of a process, in clock ticks, or undefined once it is gone. */
function cpuTicks(pid: number): number | undefined {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return undefined;
  try {
    const fields = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

describe('bento monitor and bento flash on one port (m4, QEMU pty)', () => {
  let dev: Device;
  beforeAll(async () => {
    // The device serves every test here: let it outlive bento run's default 120 s.
    dev = await startDevice('m4', echoDir, ['--timeout', '900']);
  }, 120_000);
  afterAll(() => dev?.stop());

  it('hands the port to bento flash and back 20 times, showing every byte the image prints exactly once', { timeout: 300_000 }, async () => {
    const monitor = startMonitor(dev.pty);
    try {
      await until(() => monitor.err().includes('bento: monitoring'), 60_000);
      const want = block('m4');
      for (let n = 1; n <= 20; n++) {
        const flash = await bento(['flash', 'm4', '--port', dev.pty], echoDir);
        expect(flash.code, flash.stderr).toBe(0);
        expect(flash.stderr).toContain(`bento: ${dev.pty} is lent by the bento monitor holding it`);
        expect(flash.stderr).toMatch(n === 1 ? /: (\d+) of \1 pages changed/ : /: 0 of \d+ pages changed, verified in [\d.]+ s; started/);
        await monitor.waitFor(want.length * n, 20_000);
        // Every run's block from its first byte, once: nothing of the protocol, nothing twice.
        expect(monitor.out(), `after flash ${n}; monitor said:\n${monitor.err()}`).toBe(want.repeat(n));
      }
      expect(monitor.err().match(/bento: port back/g)?.length).toBe(20);
    } finally {
      monitor.child.kill('SIGINT');
      await monitor.ended;
    }
  });

  it('sends piped stdin to the device, and Ctrl-C ends it cleanly', { timeout: 120_000 }, async () => {
    const monitor = startMonitor(dev.pty);
    await until(() => monitor.err().includes('bento: monitoring'), 60_000);
    expect(monitor.err()).toContain('(Ctrl-C to stop)');
    monitor.child.stdin!.write('a piped line\n');
    await until(() => monitor.out().includes('A PIPED LINE\r\n'), 60_000);
    expect(monitor.out()).toContain('A PIPED LINE\r\n');
    monitor.child.kill('SIGINT');
    expect(await monitor.ended).toBe(0);
  });

  it('on a terminal: raw keys go to the device, Ctrl-] ends it, the terminal mode comes back', { timeout: 180_000 }, async () => {
    const { stdout } = await run('python3', [join(projectRoot, 'test/e2e/monitor-tty.py'), 'typed at a terminal', 'TYPED AT A TERMINAL', process.execPath, bentoBin, 'monitor', '--port', dev.pty], { cwd: echoDir, timeout: 170_000 });
    const report = JSON.parse(stdout) as { started: boolean; raw_while_running: boolean; echoed: boolean; exit_code: number | null; restored: boolean; output: string };
    expect(report.started, report.output).toBe(true);
    expect(report.output).toContain('(Ctrl-] to stop)');
    expect(report.raw_while_running, report.output).toBe(true);
    expect(report.echoed, report.output).toBe(true);
    expect(report.exit_code, report.output).toBe(0);
    expect(report.restored, report.output).toBe(true);
  });

  it('notices the emulator ending: says so and exits, without spinning', { timeout: 120_000 }, async () => {
    const monitor = startMonitor(dev.pty);
    await until(() => monitor.err().includes('bento: monitoring'), 60_000);
    dev.stop();
    await dev.exited;
    // Sampled while it lives: a monitor polling a dead descriptor burns CPU all the while.
    const pid = monitor.child.pid!;
    const samples: number[] = [];
    const sampling = setInterval(() => {
      const t = cpuTicks(pid);
      if (t !== undefined) samples.push(t);
    }, 50);
    const ended = await Promise.race([monitor.ended, new Promise<'alive'>((r) => setTimeout(() => r('alive'), 5_000))]);
    clearInterval(sampling);
    if (ended === 'alive') monitor.child.kill('SIGKILL');
    if (samples.length > 1) expect(samples.at(-1)! - samples[0]!, 'CPU ticks used after QEMU ended').toBeLessThan(50);
    expect(ended, monitor.err()).toBe(0);
    expect(monitor.err()).toContain(`bento: ${dev.pty} closed`);
  });
});

describe('UART receive on the other emulated consoles', () => {
  // stm32-usart (netduinoplus2) and pl011 (lm3s6965): the echo firmware run directly.
  it.each(['stm32f405', 'lm3s6965'])('%s echoes a piped line', { timeout: 240_000 }, async (board) => {
    const built = await bento(['build', board], echoDir);
    expect(built.code, built.stderr).toBe(0);
    const child = spawn(process.execPath, [bentoBin, 'run', board, '--serial', 'pty', '--timeout', '120'], { cwd: echoDir, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    try {
      await until(() => /UART0 is on \/dev\/pts\/\d+/.test(err), 60_000);
      const pty = /UART0 is on (\/dev\/pts\/\d+)/.exec(err)![1]!;
      const monitor = startMonitor(pty);
      await until(() => monitor.err().includes('bento: monitoring'), 60_000);
      monitor.child.stdin!.write(`hello ${board}\n`);
      await until(() => monitor.out().includes(`HELLO ${board.toUpperCase()}\r\n`), 60_000);
      expect(monitor.out(), monitor.err()).toContain(`HELLO ${board.toUpperCase()}\r\n`);
      monitor.child.kill('SIGINT');
      expect(await monitor.ended).toBe(0);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

// The real path that finds no board needs a machine without a USB serial adapter (CI has none).
const boardPlugged = (await listPorts()).some((p) => candidateReason(p) !== undefined);

describe('UART receive on the consoles QEMU does not emulate', () => {
  // stm32-usart-v2 and nrf-uarte: the echo firmware, which reads with bento_console_getc, links.
  it.each(['stm32f746g-disco', 'nrf52840-dk'])('%s builds the echo firmware', { timeout: 120_000 }, async (board) => {
    const built = await bento(['build', board], echoDir);
    expect(built.code, built.stderr).toBe(0);
    expect(existsSync(join(echoDir, 'build', board, 'echo.elf'))).toBe(true);
  });
});

describe('finding the port when --port is left out', () => {
  it.skipIf(boardPlugged)('bento monitor and bento flash say none was found and how to name one', async () => {
    for (const args of [['monitor'], ['flash', 'm4']]) {
      const r = await bento(args, echoDir);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain('error[B6004]: no serial port that looks like a board was found');
      expect(r.stderr).toContain(`bento ${args[0]} --port`);
    }
  });

  it('bento monitor --list lists what there is and exits 0', async () => {
    const r = await bento(['monitor', '--list'], echoDir);
    expect(r.code, r.stderr).toBe(0);
    const ports = await listPorts();
    // One line a port, starred when it looks like a board.
    expect(r.stdout.split('\n').filter(Boolean).map((line) => line.slice(2).split(' ')[0])).toEqual(ports.map((p) => p.path));
    for (const p of ports) expect(r.stdout).toContain(`${candidateReason(p) ? '*' : ' '} ${p.path}`);
    expect(r.stderr).toMatch(ports.length === 0 ? /no serial ports found/ : /likely a board|none looks like a board/);
  });
});
