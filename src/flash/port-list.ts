import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SerialPort } from 'serialport';
import { BentoError } from '../diagnostics/error.js';

/** A serial port as the system describes it; USB ports carry their ids (4 hex digits). */
export interface PortInfo {
  path: string;
  manufacturer?: string;
  product?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
}

/** USB serial bridges and debug probes a board is usually wired through, by vendor id. */
const knownVendors: Record<string, string> = {
  '0403': 'FTDI',
  '10c4': 'Silicon Labs CP210x',
  '0483': 'ST-LINK VCP / STM32 USB',
  '1a86': 'WCH CH340',
  '067b': 'Prolific PL2303',
  '1366': 'SEGGER J-Link VCP',
  '0d28': 'Arm DAPLink',
  '2e8a': 'Raspberry Pi debug probe',
};

/** Why `port` looks like a board's serial line, or undefined when it does not. */
export function candidateReason(port: PortInfo): string | undefined {
  const vendor = port.vendorId?.toLowerCase();
  if (vendor && knownVendors[vendor]) return knownVendors[vendor];
  // Any other USB CDC ACM device (a board's own USB serial, a probe we do not know by name).
  if (/\/ttyACM\d+$|\/cu\.usbmodem/.test(port.path)) return 'USB CDC';
  if (vendor) return 'USB serial';
  return undefined;
}

/**
 * The port to use when none was given: the only candidate, or an error listing them (or saying
 * none was found), with the hint to name one with --port.
 */
export function choosePort(ports: readonly PortInfo[], command: string): { path: string; why: string } {
  const candidates = ports.filter((p) => candidateReason(p) !== undefined);
  if (candidates.length === 1) {
    const only = candidates[0]!;
    return { path: only.path, why: candidateReason(only)! };
  }
  if (candidates.length === 0) {
    const others = ports.length === 0 ? '' : ` (${ports.length} other serial port${ports.length === 1 ? '' : 's'}: ${ports.map((p) => p.path).join(', ')})`;
    throw new BentoError({
      code: 'B6004',
      message: `no serial port that looks like a board was found${others}`,
      hint: `plug the board in, or name the port: bento ${command} --port /dev/ttyUSB0 (or the pty \`bento run <board> --serial pty\` prints); \`bento monitor --list\` shows what there is`,
    });
  }
  throw new BentoError({
    code: 'B6004',
    message: `${candidates.length} serial ports look like boards: ${candidates.map((p) => `${p.path} (${describe(p)})`).join(', ')}`,
    hint: `say which with --port, e.g. bento ${command} --port ${candidates[0]!.path}`,
  });
}

export function describe(port: PortInfo): string {
  const ids = port.vendorId ? `${port.vendorId}:${port.productId ?? '????'}` : undefined;
  const words = [port.manufacturer, port.product, ids, port.serialNumber && `serial ${port.serialNumber}`].filter(Boolean);
  return words.length > 0 ? words.join(', ') : 'no USB details';
}

/** The system's serial ports, sorted by path. */
export async function listPorts(sysfs = '/sys/class/tty'): Promise<PortInfo[]> {
  // serialport's list() runs `udevadm` on Linux, and throws from a child process where there is
  // none (containers): the kernel's own view in sysfs needs nothing.
  const ports = process.platform === 'linux' ? scanSysfs(sysfs) : await SerialPort.list();
  return ports.map((p) => ({ ...p })).sort((a, b) => a.path.localeCompare(b.path));
}

const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined);

/**
 * Reads /sys/class/tty: a USB port's ids are on the nearest ancestor device with idVendor; a
 * built-in UART is listed when the kernel knows its type (the 8250 placeholders have type 0).
 */
export function scanSysfs(root: string): PortInfo[] {
  if (!existsSync(root)) return [];
  const ports: PortInfo[] = [];
  for (const name of readdirSync(root)) {
    const device = join(root, name, 'device');
    if (!existsSync(device)) continue;
    let dir = realpathSync(device);
    let usb: string | undefined;
    for (let up = 0; up < 4 && dir !== '/'; up++, dir = dirname(dir)) {
      if (existsSync(join(dir, 'idVendor'))) {
        usb = dir;
        break;
      }
    }
    if (usb) {
      ports.push({
        path: `/dev/${name}`,
        manufacturer: read(join(usb, 'manufacturer')),
        product: read(join(usb, 'product')),
        serialNumber: read(join(usb, 'serial')),
        vendorId: read(join(usb, 'idVendor')),
        productId: read(join(usb, 'idProduct')),
      });
    } else if ((read(join(root, name, 'type')) ?? '0') !== '0') {
      ports.push({ path: `/dev/${name}` });
    }
  }
  return ports;
}
