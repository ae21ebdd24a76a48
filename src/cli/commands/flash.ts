import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildProject } from '../../build/build.js';
import { loadBoard } from '../../config/board.js';
import type { Board } from '../../config/board.js';
import { loadRecipe } from '../../config/recipe.js';
import { BentoError, fail } from '../../diagnostics/error.js';
import { An3155Client } from '../../flash/an3155.js';
import { openLink } from '../../flash/byte-link.js';
import type { ByteLink } from '../../flash/byte-link.js';
import { flashImage } from '../../flash/flash.js';
import { choosePort, listPorts } from '../../flash/port-list.js';
import { lockPort, portLocked } from '../../flash/port-lock.js';
import { borrowPort } from '../../flash/port-share.js';
import { progressReporter } from '../../flash/progress.js';
import { flashTarget } from '../../flash/target.js';
import type { Command } from '../command.js';
import { buildSteps } from '../output.js';
import { boardArguments, seconds } from './shared.js';

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/** Line settings: the command line's, else `defaults` (a board's bootloader or console lines). */
export function serialOptions(defaults: { baud: number; parity: 'none' | 'even' } | undefined, options: Record<string, string | boolean | undefined>) {
  const baud = options.baud === undefined ? (defaults?.baud ?? 115200) : Number(options.baud);
  if (!Number.isInteger(baud) || baud <= 0) fail('B9001', `--baud must be a positive whole number, not '${options.baud}'`);
  const parity = (options.parity as string | undefined) ?? defaults?.parity ?? 'none';
  if (parity !== 'none' && parity !== 'even') fail('B9001', `--parity must be none or even, not '${parity}'`);
  return { baud, parity: parity as 'none' | 'even' };
}

/** What the image's console talks: the board's UART baud rate, 8N1. */
export const consoleLines = (board: Board) => ({ baud: board.uart.baud, parity: 'none' as const });

/** Copies what the target prints to stdout until it closes the line or `until` passes. */
export async function streamOutput(link: ByteLink, until: number): Promise<'closed' | 'timeout'> {
  for (;;) {
    const left = until - Date.now();
    if (left <= 0) return 'timeout';
    try {
      const data = await link.readSome(Math.min(left, 250));
      if (data.length > 0) process.stdout.write(data);
    } catch {
      return 'closed';
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens the port, giving a `bento monitor` on it a moment to see the lock and let go. */
async function openWhenFree(port: string, settings: ReturnType<typeof serialOptions>): Promise<ByteLink> {
  for (let waited = 0; ; waited += 250) {
    try {
      return await openLink(port, settings);
    } catch (err) {
      if (!(err instanceof BentoError) || !/busy/.test(err.message) || waited >= 3000) throw err;
      await sleep(250);
    }
  }
}

/** --port, or the one serial port that looks like a board (saying which), or an error listing them. */
export async function portOrOnlyCandidate(options: Record<string, string | boolean | undefined>, command: string): Promise<string> {
  if (typeof options.port === 'string') return options.port;
  const chosen = choosePort(await listPorts(), command);
  console.error(`bento: using ${chosen.path} (${chosen.why}), the only serial port that looks like a board`);
  return chosen.path;
}

/**
 * The port: lent by a `bento monitor` that holds it (so the monitor shows the image's output
 * from its first byte), else opened here, with a lock that tells a monitor started meanwhile to
 * wait. The returned release gives the lock back.
 */
async function takePort(port: string, settings: ReturnType<typeof serialOptions>): Promise<{ link: ByteLink; release: () => void }> {
  const lent = await borrowPort(port, settings);
  if (lent) {
    console.error(`bento: ${port} is lent by the bento monitor holding it`);
    return { link: lent, release: () => {} };
  }
  if (portLocked(port)) fail('B6004', `${port} is busy: another bento flash is using it`, { hint: 'wait for it to finish' });
  const release = lockPort(port);
  try {
    return { link: await openWhenFree(port, settings), release };
  } catch (err) {
    release();
    throw err;
  }
}

/**
 * On a real board with its lines wired: hold the boot line (BOOT0) and pulse reset, so the
 * target starts in its bootloader; then let the boot line go, so the next reset runs the image.
 * The lines are active low through the usual USB-serial adapters: asserting DTR or RTS drives them low.
 */
async function enterBootloader(link: ByteLink, board: Board): Promise<void> {
  const { reset, boot } = board.serial;
  if (reset === 'none') return;
  if (boot !== 'none') await link.setLines({ [boot]: true });
  await link.setLines({ [reset]: true });
  await sleep(50);
  await link.setLines({ [reset]: false });
  await sleep(100);
  if (boot !== 'none') await link.setLines({ [boot]: false });
  link.discard();
}

export const flashCommand: Command = {
  name: 'flash',
  positionals: 'boards',
  summary: "write the project's image into the board through its serial bootloader, verify it and start it",
  usage: '<board> [--port PORT] [--recipe FILE] [--monitor] [--werror]',
  details:
    'Builds the project for the application slot (like `bento build --app`), then talks to the\n' +
    "board's AN3155 bootloader on PORT (a serial device, or tcp://host:port): erases and writes only\n" +
    'the pages that changed, in 256-byte blocks, verifies by reading back, and starts the image.\n' +
    'With --monitor it then shows what the board prints, like `bento monitor`. A `bento monitor`\n' +
    'holding PORT lends it for the flash. Without --port: the one port that looks like a board.',
  options: {
    board: { type: 'string', short: 'b', value: 'BOARD', description: 'board file or name (the same as giving it as the argument)' },
    port: { type: 'string', short: 'p', value: 'PORT', description: 'serial device (/dev/ttyUSB0) or tcp://host:port (default: the only likely board)' },
    recipe: { type: 'string', short: 'r', value: 'FILE', description: 'the recipe to flash', default: 'bento.toml' },
    baud: { type: 'string', value: 'N', description: "baud rate (default: the board's [serial] baud)" },
    parity: { type: 'string', value: 'PARITY', choices: ['none', 'even'], description: "parity (default: the board's; STM32 parts want even)" },
    'no-verify': { type: 'boolean', description: 'skip reading the pages back' },
    'no-go': { type: 'boolean', description: 'leave the target in its bootloader' },
    monitor: { type: 'boolean', description: 'after starting the image, show its output' },
    timeout: { type: 'string', short: 't', value: 'SECONDS', description: 'how long --monitor listens (default 30)', needs: 'monitor' },
    werror: { type: 'boolean', description: 'compiler and linker warnings are errors in the build before the flash (as bento build --werror)' },
  },
  async run(positionals, options) {
    const board = loadBoard(boardArguments(positionals, options, 'flash', true)[0]!);
    const settings = serialOptions(board.serial, options);
    const port = await portOrOnlyCandidate(options, 'flash');
    const recipe = loadRecipe(options.recipe as string);
    const target = flashTarget(board, recipe);
    // Only what the build actually did: a flash right after a build is quiet.
    await buildProject(recipe, board, { onStep: buildSteps(`Building ${recipe.name} for ${board.name}`).onStep, application: target.application, werror: options.werror === true });
    const file = target.file;
    const image = readFileSync(file);
    const taken = await takePort(port, settings);
    let link = taken.link;
    try {
      await enterBootloader(link, board);
      const client = new An3155Client(link, { onRetry: (what, why) => console.error(`bento: ${what}: ${why}; retrying`) });
      const unit = target.units[0]!.size;
      const report = await flashImage(
        client,
        {
          address: target.address,
          image,
          units: target.units,
          productId: target.productId,
          headerBytes: target.headerBytes,
          verify: options['no-verify'] !== true,
          goAddress: options['no-go'] ? undefined : target.address,
        },
        {
          onIdentity: (id) => console.error(`bento: bootloader v${id.version >> 4}.${id.version & 15} on ${port}, product ID 0x${id.productId.toString(16).padStart(4, '0')}`),
          onProgress: progressReporter(process.stderr, { checking: unit, erasing: unit, writing: 1, verifying: unit }),
        },
      );
      const kib = (image.length / 1024).toFixed(1);
      console.error(
        `bento: flashed ${file.split('/').slice(-2).join('/')} (${kib} KiB at ${hex(target.address)}): ${report.pagesWritten} of ${report.pagesTotal} pages changed` +
          `${options['no-verify'] ? '' : ', verified'} in ${report.seconds.toFixed(1)} s${options['no-go'] ? '' : '; started'}`,
      );
      if (options.monitor) {
        // An STM32's ROM bootloader talks 8E1; the image's console 8N1.
        const lines = consoleLines(board);
        if (lines.baud !== settings.baud || lines.parity !== settings.parity) {
          await link.close();
          link = (await borrowPort(port, lines)) ?? (await openLink(port, lines));
        }
        const until = Date.now() + seconds(options.timeout, 'timeout', 30) * 1000;
        const end = await streamOutput(link, until);
        console.error(end === 'closed' ? `\nbento: ${port} closed` : `\nbento: monitor stopped after ${options.timeout ?? 30} s`);
      }
      return 0;
    } finally {
      await link.close();
      taken.release();
    }
  },
};
