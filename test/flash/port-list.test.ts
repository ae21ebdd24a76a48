// Choosing a serial port when --port is left out: from lists of port descriptions (there is no
// USB adapter on the test machine), and reading a sysfs tree built to look like Linux's.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BentoError } from '../../src/diagnostics/error.js';
import { candidateReason, choosePort, scanSysfs } from '../../src/flash/port-list.js';
import type { PortInfo } from '../../src/flash/port-list.js';

const builtIn: PortInfo = { path: '/dev/ttyS0' };
const ftdi: PortInfo = { path: '/dev/ttyUSB0', manufacturer: 'FTDI', vendorId: '0403', productId: '6001', serialNumber: 'A50285BI' };
const stlink: PortInfo = { path: '/dev/ttyACM0', manufacturer: 'STMicroelectronics', vendorId: '0483', productId: '374b' };
const cdc: PortInfo = { path: '/dev/ttyACM1', vendorId: '2fe3', productId: '0100' };
const cp210x: PortInfo = { path: '/dev/ttyUSB1', vendorId: '10C4', productId: 'ea60' };

function refusal(ports: PortInfo[]): BentoError {
  try {
    choosePort(ports, 'flash');
  } catch (err) {
    if (err instanceof BentoError) return err;
    throw err;
  }
  throw new Error('choosePort chose a port');
}

describe('which ports look like boards', () => {
  it.each([
    [ftdi, 'FTDI'],
    [stlink, 'ST-LINK VCP / STM32 USB'],
    [cp210x, 'Silicon Labs CP210x'],
    [cdc, 'USB CDC'],
    [{ path: '/dev/ttyUSB3', vendorId: '1234', productId: '5678' }, 'USB serial'],
    [builtIn, undefined],
  ] as const)('%o: %s', (port, reason) => {
    expect(candidateReason(port)).toBe(reason);
  });
});

describe('choosing the port', () => {
  it('takes the only candidate, saying why, and ignores built-in UARTs', () => {
    expect(choosePort([builtIn, stlink], 'flash')).toEqual({ path: '/dev/ttyACM0', why: 'ST-LINK VCP / STM32 USB' });
  });

  it('refuses to guess between several, listing them with the hint --port', () => {
    const err = refusal([ftdi, builtIn, cdc]);
    expect(err.code).toBe('B6004');
    expect(err.message).toContain('2 serial ports look like boards: /dev/ttyUSB0 (FTDI, 0403:6001, serial A50285BI), /dev/ttyACM1 (2fe3:0100)');
    expect(err.diagnostics[0]!.hint).toContain('--port /dev/ttyUSB0');
  });

  it('says none was found, naming the other ports', () => {
    expect(refusal([]).message).toBe('no serial port that looks like a board was found');
    const err = refusal([builtIn]);
    expect(err.code).toBe('B6004');
    expect(err.message).toContain('(1 other serial port: /dev/ttyS0)');
    expect(err.diagnostics[0]!.hint).toContain('bento flash --port');
  });
});

describe('reading /sys/class/tty', () => {
  it('finds USB ids on the device above the tty, lists known UARTs, skips placeholders', () => {
    const root = mkdtempSync(join(tmpdir(), 'bento-sysfs-'));
    const devices = join(root, 'devices');
    const classTty = join(root, 'class-tty');
    mkdirSync(classTty);
    // A CDC ACM port: the tty's device is the USB interface; the ids are one level up.
    const usb = join(devices, 'usb1', '1-1');
    mkdirSync(join(usb, '1-1:1.0'), { recursive: true });
    for (const [file, text] of Object.entries({ idVendor: '0483', idProduct: '374b', manufacturer: 'STMicroelectronics', product: 'STM32 STLink', serial: '066DFF' })) writeFileSync(join(usb, file), `${text}\n`);
    mkdirSync(join(classTty, 'ttyACM0'));
    symlinkSync(join(usb, '1-1:1.0'), join(classTty, 'ttyACM0', 'device'));
    // A 16550 that exists (type 4) and an 8250 placeholder (type 0); a virtual console (no device).
    for (const [name, type] of [['ttyS0', '4'], ['ttyS1', '0']] as const) {
      mkdirSync(join(devices, 'serial8250', name), { recursive: true });
      mkdirSync(join(classTty, name));
      symlinkSync(join(devices, 'serial8250', name), join(classTty, name, 'device'));
      writeFileSync(join(classTty, name, 'type'), `${type}\n`);
    }
    mkdirSync(join(classTty, 'tty1'));
    const ports = scanSysfs(classTty).sort((a, b) => a.path.localeCompare(b.path));
    expect(ports).toEqual([
      { path: '/dev/ttyACM0', manufacturer: 'STMicroelectronics', product: 'STM32 STLink', serialNumber: '066DFF', vendorId: '0483', productId: '374b' },
      { path: '/dev/ttyS0' },
    ]);
    expect(choosePort(ports, 'monitor').path).toBe('/dev/ttyACM0');
  });
});
