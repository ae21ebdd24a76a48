import { loadBoard } from '../../config/board.js';
import { BentoError, fail } from '../../diagnostics/error.js';
import { openLink } from '../../flash/byte-link.js';
import type { ByteLink } from '../../flash/byte-link.js';
import { portLocked } from '../../flash/port-lock.js';
import type { Command } from '../command.js';
import { consoleLines, serialOptions } from './flash.js';
import { seconds } from './shared.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const monitorCommand: Command = {
  name: 'monitor',
  summary: 'show what a board prints on a serial port',
  usage: '--port PORT [--board BOARD] [--baud N]',
  details:
    'Copies the port to stdout until Ctrl-C, the port closing, or --timeout. While `bento flash`\n' +
    'uses the same port the monitor lets go of it, and takes it back afterwards.',
  options: {
    port: { type: 'string', short: 'p', value: 'PORT', description: 'serial device or tcp://host:port' },
    board: { type: 'string', short: 'b', value: 'BOARD', description: "take the baud rate from this board's console" },
    baud: { type: 'string', value: 'N', description: 'baud rate (default 115200)' },
    parity: { type: 'string', value: 'none|even', description: 'parity (default none)' },
    timeout: { type: 'string', short: 't', value: 'SECONDS', description: 'stop after this long (default: never)' },
  },
  async run(_positionals, options) {
    if (!options.port) fail('B9001', 'bento monitor needs --port');
    const port = options.port as string;
    const settings = serialOptions(options.board ? consoleLines(loadBoard(options.board as string)) : undefined, options);
    const until = options.timeout === undefined ? Infinity : Date.now() + seconds(options.timeout, 'timeout', 1) * 1000;
    let stop = false;
    const onSignal = () => (stop = true);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let link: ByteLink | undefined = await openLink(port, settings);
    console.error(`bento: monitoring ${port} at ${settings.baud} baud (Ctrl-C to stop)`);
    try {
      while (!stop && Date.now() < until) {
        if (portLocked(port)) {
          if (link) {
            await link.close();
            link = undefined;
            console.error('bento: port given to bento flash');
          }
          await sleep(200);
          continue;
        }
        if (!link) {
          try {
            link = await openLink(port, settings);
          } catch (err) {
            // The flash may still be closing it: try again on the next turn.
            if (err instanceof BentoError && /busy/.test(err.message)) {
              await sleep(200);
              continue;
            }
            // The device went away meanwhile (an emulator that ended): the same as a close.
            if (err instanceof BentoError && /does not exist/.test(err.message)) {
              console.error(`bento: ${port} closed`);
              return 0;
            }
            throw err;
          }
          console.error('bento: port back');
        }
        try {
          const data = await link.readSome(200);
          if (data.length > 0) process.stdout.write(data);
        } catch {
          console.error(`bento: ${port} closed`);
          return 0;
        }
      }
      return 0;
    } finally {
      await link?.close();
    }
  },
};
