// Flashing over a serial line, end to end: QEMU runs the board's bootloader with UART0 on a
// pty; bento flash (or stm32flash) writes an example's application through it, which then runs.
import { execFile } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { bento, projectRoot } from '../support/cli.js';
import { startDevice } from '../support/device.js';
import type { Device } from '../support/device.js';
import { startProxy } from '../support/serial-proxy.js';
import { normalise } from '../support/uart.js';

const run = promisify(execFile);
const example = (name: string) => join(projectRoot, 'examples', name);
const expected = (name: string, board: string) => readFileSync(join(example(name), 'test', `${name}.expected`), 'utf8').replaceAll('{board}', board);

let devices: Device[] = [];
afterEach(() => {
  for (const d of devices) d.stop();
  devices = [];
});

async function device(board: string, cwd: string): Promise<Device> {
  const d = await startDevice(board, cwd);
  devices.push(d);
  return d;
}

/**
 * What the image printed, from QEMU's own UART log: when the image exits QEMU closes its pty at
 * once and Linux drops what a reader had not read yet, so the reader's copy may lack the last
 * lines on a loaded machine; the log has them, after the bootloader's protocol bytes.
 */
async function printed(dev: Device, reader: string | undefined, name: string, board: string): Promise<void> {
  const want = expected(name, board);
  if (reader !== undefined) expect(want.startsWith(normalise(reader.replace(/\r/g, ''))), `what the reader got:\n${reader}`).toBe(true);
  expect(await dev.exited).toBe(0);
  const log = normalise(readFileSync(dev.log, 'latin1'));
  expect(log.endsWith(want), `UART log ends:\n${log.slice(-400)}`).toBe(true);
}

// Spread across the boards rather than repeated: hello on the m4, qsort on the m7.
describe.each([
  ['m4', 'hello'],
  ['m7', 'qsort'],
])('bento flash on %s', (board, name) => {
  it(`writes ${name} through the bootloader, verifies it, and it runs`, async () => {
    const dev = await device(board, example(name));
    const r = await bento(['flash', board, '--port', dev.pty, '--monitor', '--timeout', '60'], example(name));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/bento: bootloader v2\.2 on \/dev\/pts\/\d+, product ID 0x0414/);
    expect(r.stderr).toMatch(/pages changed, verified in [\d.]+ s; started/);
    await printed(dev, r.stdout, name, board);
  });
});

describe('flashing details', () => {
  it('rewrites only what changed, and never touches the bootloader', async () => {
    const dev = await device('m4', example('hello'));
    const first = await bento(['flash', 'm4', '--port', dev.pty, '--no-go'], example('hello'));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/: (\d+) of \1 pages changed, verified/);
    const again = await bento(['flash', 'm4', '--port', dev.pty, '--no-go'], example('hello'));
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/: 0 of \d+ pages changed/);
  });

  it('completes through a line that corrupts and drops bytes, retrying', { timeout: 240_000 }, async () => {
    const dev = await device('m4', example('hello'));
    const proxy = await startProxy(dev.pty, { corruptEvery: 1999, dropEvery: 3001, faultyBytes: 8_000 });
    try {
      const r = await bento(['flash', 'm4', '--port', proxy.url, '--monitor', '--timeout', '60'], example('hello'));
      expect(r.code, r.stderr).toBe(0);
      expect(proxy.faultsInjected()).toBeGreaterThanOrEqual(5);
      expect(r.stderr).toMatch(/retrying/);
      await printed(dev, r.stdout, 'hello', 'm4');
    } finally {
      await proxy.close();
    }
  });

  it('recovers from a flash killed halfway: the re-run completes and the image runs', async () => {
    const dev = await device('m7', example('qsort'));
    await bento(['build', 'm7', '--app'], example('qsort'));
    const killed = await new Promise<string>((resolve) => {
      const child = execFile(process.execPath, [join(projectRoot, 'bin/bento.js'), 'flash', 'm7', '--port', dev.pty], { cwd: example('qsort') });
      let err = '';
      child.stderr!.on('data', (d: string | Buffer) => {
        err += d;
        if (/Writing .*(2[5-9]|[3-9]\d)%/.test(err)) child.kill('SIGKILL');
      });
      child.on('close', () => resolve(err));
    });
    expect(killed).toMatch(/Writing/);
    expect(killed).not.toMatch(/started/);
    const r = await bento(['flash', 'm7', '--port', dev.pty, '--monitor', '--timeout', '60'], example('qsort'));
    expect(r.code, r.stderr).toBe(0);
    await printed(dev, r.stdout, 'qsort', 'm7');
  });

  it('stm32flash writes the same image to bento\'s bootloader, and it runs', async () => {
    const name = 'mandelbrot';
    const built = await bento(['build', 'm4', '--app'], example(name));
    expect(built.code, built.stderr).toBe(0);
    const dev = await device('m4', example(name));
    // Hold the pty open so QEMU sees a client before stm32flash's first byte.
    const holder = openSync(dev.pty, 'r+');
    try {
      await new Promise((r) => setTimeout(r, 1500));
      const image = join(example(name), 'build', 'm4-app', `${name}.slot.bin`);
      const { stdout } = await run('stm32flash', ['-b', '115200', '-m', '8n1', '-w', image, '-v', '-S', '0x08004000', '-g', '0x08004000', dev.pty], { timeout: 60_000 });
      expect(stdout).toContain('Device ID    : 0x0414');
      expect(stdout).toMatch(/Wrote and verified address 0x080[0-9a-f]+ \(100\.00%\) Done\./);
      // The image runs to its end; QEMU's UART log has its output after the protocol's bytes.
      await printed(dev, undefined, name, 'm4');
    } finally {
      closeSync(holder);
    }
  });
});

describe('the bootloader on its own, and bento monitor', () => {
  it('starts a valid application when no host talks to it within the window', async () => {
    const built = await bento(['build', 'm7', '--app'], example('hello'));
    expect(built.code, built.stderr).toBe(0);
    const r = await bento(['run', 'm7', '--bootloader', '--with-app'], example('hello'));
    expect(r.code, r.stderr).toBe(0);
    expect(normalise(r.stdout)).toBe(expected('hello', 'm7'));
  });

  it('bento monitor lends the port to bento flash, shows the image from its first byte, and ends when the port does', async () => {
    const dev = await device('m4', example('hello'));
    const monitor = execFile(process.execPath, [join(projectRoot, 'bin/bento.js'), 'monitor', '--port', dev.pty, '--timeout', '90'], { cwd: example('hello') });
    let out = '';
    let err = '';
    monitor.stdout!.on('data', (d: string | Buffer) => (out += d));
    monitor.stderr!.on('data', (d: string | Buffer) => (err += d));
    const ended = new Promise<number | null>((resolve) => monitor.on('close', resolve));
    while (!err.includes('bento: monitoring')) await new Promise((r) => setTimeout(r, 100));
    const flash = await bento(['flash', 'm4', '--port', dev.pty], example('hello'));
    expect(flash.code, flash.stderr).toBe(0);
    expect(flash.stderr).toContain('is lent by the bento monitor holding it');
    expect(await ended, err).toBe(0);
    expect(err).toContain('bento: bento flash is using the port');
    expect(err, `monitor stdout:\n${out}`).toMatch(/bento: \/dev\/pts\/\d+ closed/);
    // From the first byte; the image exits at once, and QEMU's closing pty may cut the tail.
    await printed(dev, out, 'hello', 'm4');
  });
});

describe('the bootloader protects itself', () => {
  it('refuses to write or erase its own region, which reads back unchanged', async () => {
    const { openLink } = await import('../../src/flash/byte-link.js');
    const { An3155Client } = await import('../../src/flash/an3155.js');
    const dev = await device('m7', example('hello'));
    const link = await openLink(dev.pty, { baud: 115200, parity: 'none' });
    try {
      const client = new An3155Client(link, { attempts: 2 });
      await client.connect();
      const before = await client.readMemory(0x0800_0000, 256);
      await expect(client.writeMemory(0x0800_0000, new Uint8Array(256))).rejects.toThrow(/Write Memory address: NACK/);
      await expect(client.writeMemory(0x0000_0100, new Uint8Array(16))).rejects.toThrow(/NACK/);
      await expect(client.erasePages([0, 8])).rejects.toThrow(/Extended Erase pages: NACK/);
      expect((await client.readMemory(0x0800_0000, 256)).equals(before)).toBe(true);
      expect(before.readUInt32LE(4) & 1).toBe(1); // still a Thumb reset vector
    } finally {
      await link.close();
    }
  });
});

// A real STM32 is flashed through its ROM bootloader, which QEMU does not model: a simulated
// STM32F405 (test/flash/sim-device.ts: F4 sectors, Extended Erase, product ID 0x413) serves the
// protocol on TCP; the bytes it ends up holding then boot on QEMU's netduinoplus2.
describe('bento flash through an STM32\'s own bootloader (a simulated STM32F405 on TCP)', () => {
  async function simulatedF405(productId = 0x413) {
    const { createServer } = await import('node:net');
    const { SimDevice } = await import('../flash/sim-device.js');
    const sectors = [...Array(4).fill(16 << 10), 64 << 10, ...Array(7).fill(128 << 10)] as number[];
    const dev = new SimDevice(0x0800_0000, 1 << 20, sectors, 0, {}, productId);
    const server = createServer((socket) => {
      socket.on('data', (chunk) => void dev.write(chunk).then(async () => socket.write(await dev.readSome())));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { dev, url: `tcp://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => server.close() };
  }

  it('writes the whole image over the F4 sectors it covers, verifies it, and the bytes boot', async () => {
    const sim = await simulatedF405();
    const dir = example('native-hello');
    try {
      const r = await bento(['flash', 'stm32f405', '--port', sim.url], dir);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/bento: bootloader v2\.2 on tcp:\/\/127\.0\.0\.1:\d+, product ID 0x0413/);
      expect(r.stderr).toMatch(/flashed stm32f405\/native-hello\.bin \([\d.]+ KiB at 0x08000000\): (\d+) of \1 pages changed, verified in [\d.]+ s; started/);
      const bin = readFileSync(join(dir, 'build/stm32f405/native-hello.bin'));
      expect(Buffer.from(sim.dev.memory.subarray(0, bin.length)).equals(bin)).toBe(true);
      expect(sim.dev.log[0]).toMatch(/^erase 0(,\d)*$/);
      expect(sim.dev.log.at(-1)).toBe('go 8000000');
      // What the simulated part holds, run as the image of the emulated one.
      const flashed = join(mkdtempSync(join(tmpdir(), 'bento-f405-')), 'flashed.bin');
      writeFileSync(flashed, sim.dev.memory.subarray(0, bin.length));
      const { qemuArgs } = await import('../../src/run/qemu.js');
      const { loadBoard } = await import('../../src/config/board.js');
      const booted = await run('qemu-system-arm', qemuArgs(loadBoard('stm32f405', projectRoot), flashed), { timeout: 60_000 });
      expect(booted.stdout).toMatch(/^Hello from bento on stm32f405!\n/);
      const again = await bento(['flash', 'stm32f405', '--port', sim.url, '--no-go'], dir);
      expect(again.stderr).toMatch(/: 0 of \d+ pages changed, verified/);
    } finally {
      sim.close();
    }
  });

  it('refuses a part that reports another product ID, writing nothing', async () => {
    const sim = await simulatedF405(0x421);
    try {
      const r = await bento(['flash', 'stm32f405', '--port', sim.url], example('native-hello'));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('error[B6011]: the target reports product ID 0x0421, but the board file expects 0x0413: nothing was written');
      expect(sim.dev.log).toEqual([]);
    } finally {
      sim.close();
    }
  });

  it('tells a board without a serial bootloader what to use instead', async () => {
    const r = await bento(['flash', 'nrf52840-dk', '--port', 'tcp://127.0.0.1:9'], example('native-hello'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nrf52840-dk\.toml:\d+:\d+: error\[B1004\]: board nrf52840-dk has no \[bootloader\]: bento flash needs one/);
    expect(r.stderr).toContain('build/nrf52840-dk/native-hello.bin');
  });
});

describe('bad flashing input', () => {
  it('says a port is busy when another program holds it', async () => {
    const { openLink } = await import('../../src/flash/byte-link.js');
    const dev = await device('m4', example('hello'));
    const other = await openLink(dev.pty, { baud: 115200, parity: 'none' });
    try {
      const r = await bento(['flash', 'm4', '--port', dev.pty], example('hello'));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`error[B6004]: cannot open serial port ${dev.pty}: it is busy (another program has it open)`);
    } finally {
      await other.close();
    }
  });

  it('names a port that does not exist', async () => {
    const r = await bento(['flash', 'm4', '--port', '/dev/ttyNOPE9'], example('hello'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[B6004]: cannot open serial port /dev/ttyNOPE9: it does not exist');
  });

  it('gives up on a target that never answers, saying so', async () => {
    const { createServer } = await import('node:net');
    const server = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `tcp://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const r = await bento(['flash', 'm4', '--port', url], example('hello'));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`error[B6006]: synchronising with the bootloader failed after 4 tries (no answer) on ${url}`);
      expect(r.stderr).toContain('is the target in its bootloader');
    } finally {
      server.close();
    }
  });

  it('refuses an image that does not fit the application slot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bento-small-'));
    const board = readFileSync(join(projectRoot, 'boards/m4.toml'), 'utf8').replace('name = "m4"', 'name = "small"').replace(/\[memory\.code\]\norigin = 0x0000_0000\nsize = "4 MiB"/, '[memory.code]\norigin = 0x0000_0000\nsize = "32 KiB"');
    writeFileSync(join(dir, 'small.toml'), board);
    const r = await bento(['build', join(dir, 'small.toml'), '--app'], example('hello'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/region `CODE' overflowed|does not fit/);
  });
});
