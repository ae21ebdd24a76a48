import { buildProject } from '../../build/build.js';
import { loadBoard } from '../../config/board.js';
import type { Board } from '../../config/board.js';
import { loadRecipe } from '../../config/recipe.js';
import { fail } from '../../diagnostics/error.js';
import { emulatorOf } from '../../run/qemu.js';
import { parseTcpAddress } from '../../serve/link.js';
import { readManifest } from '../../serve/manifest.js';
import type { ServerlessManifest } from '../../serve/manifest.js';
import { emulatedSource, linkSource } from '../../serve/sources.js';
import type { DeviceSource } from '../../serve/sources.js';
import type { OptionValues } from '../command.js';
import { buildSteps } from '../output.js';
import { listOption } from './shared.js';

/** The device options bento invoke, serve and bench serverless share, and how they become DeviceSources. */

/** "2ms", "500us", "500µs", "1.5s", or a bare number of microseconds -> microseconds. */
export function parseDeadline(text: string, option = 'deadline'): number {
  const m = /^(\d+(?:\.\d+)?)\s*(us|µs|ms|s)?$/.exec(text.trim());
  const scale = { us: 1, 'µs': 1, ms: 1000, s: 1e6 } as const;
  const micros = m ? Math.round(Number(m[1]) * scale[(m[2] ?? 'us') as keyof typeof scale]) : NaN;
  if (!Number.isFinite(micros) || micros < 1 || micros >= 0xffff_ffff) {
    fail('B9001', `--${option} must be a time such as 2ms, 500us or 1.5s (1 µs to about 71 minutes), not '${text}'`);
  }
  return micros;
}

export function positiveInteger(value: string | boolean | undefined, option: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || n < 1 || n > max) fail('B9001', `--${option} must be a whole number from 1 to ${max}, not '${value}'`);
  return n;
}

export function tcpDevices(value: string | boolean | undefined): DeviceSource[] {
  return listOption(value).map((text, i) => {
    const address = parseTcpAddress(text);
    if (!address) fail('B9001', `--device must be tcp:HOST:PORT, not '${text}'`, { hint: 'e.g. --device tcp:127.0.0.1:4000 (a serial port: --serial or --port PATH)' });
    return linkSource(`tcp${i}`, address);
  });
}

export function serialDevices(value: string | boolean | undefined, baud: number, first = 0): DeviceSource[] {
  return listOption(value).map((path, i) => linkSource(`serial${first + i}`, { kind: 'serial', path, baud }));
}

export interface EmulatedProject {
  board: Board;
  manifest: ServerlessManifest;
}

/** Builds the project of the cwd (or --recipe) for an emulated board and reads its serverless.json. */
export async function buildServerless(boardName: string, recipeFile: string): Promise<EmulatedProject> {
  const board = loadBoard(boardName);
  emulatorOf(board);
  const recipe = loadRecipe(recipeFile);
  await buildProject(recipe, board, { onStep: buildSteps(`Building ${recipe.name} for ${board.name}`).onStep });
  return { board, manifest: readManifest(recipe, board) };
}

/** `count` QEMUs of one image, named <board>-0, <board>-1, ... */
export function emulatedDevices(project: EmulatedProject, count: number, icount: boolean, onConsoleLine?: (name: string, line: string) => void): DeviceSource[] {
  return Array.from({ length: count }, (_, i) => emulatedSource(`${project.board.name}-${i}`, { ...project, icount, onConsoleLine }));
}

/** Options that say where one device is, as bento invoke takes them. */
export const oneDeviceOptions = {
  device: { type: 'string', value: 'tcp:HOST:PORT', description: 'a device whose request UART is served over TCP (a serial server, or QEMU)' },
  port: { type: 'string', value: 'PATH', description: "a serial port wired to the device's request UART" },
  baud: { type: 'string', value: 'N', description: 'the serial port speed (default: 115200)' },
  board: { type: 'string', short: 'b', value: 'BOARD', description: 'start one emulated device: the project in this folder built for this board' },
  recipe: { type: 'string', short: 'r', value: 'FILE', description: 'with --board: the recipe to build', default: 'bento.toml' },
  icount: { type: 'boolean', description: 'with --board: deterministic virtual time (one instruction = 1 ns)' },
} as const;

/** The one device bento invoke talks to. */
export async function oneDevice(options: OptionValues, onConsoleLine?: (name: string, line: string) => void): Promise<DeviceSource> {
  const given = (['device', 'port', 'board'] as const).filter((k) => options[k] !== undefined);
  if (given.length !== 1) {
    fail('B9001', given.length === 0 ? 'which device? give --device tcp:HOST:PORT, --port PATH or --board BOARD' : `give one of --${given.join(', --')}`, { hint: 'e.g. `bento invoke parse --data hi --board m4` starts an emulated one' });
  }
  if (options.device !== undefined) {
    const [source, more] = tcpDevices(options.device);
    if (more) fail('B9001', '--device names one device here');
    return source!;
  }
  if (options.port !== undefined) return serialDevices(options.port, positiveInteger(options.baud, 'baud', 115200))[0]!;
  const project = await buildServerless(options.board as string, options.recipe as string);
  return emulatedDevices(project, 1, options.icount === true, onConsoleLine)[0]!;
}
