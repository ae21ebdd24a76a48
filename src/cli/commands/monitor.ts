import { loadBoard } from '../../config/board.js';
import { startMonitor } from '../../flash/monitor.js';
import { candidateReason, describe, listPorts } from '../../flash/port-list.js';
import type { Command } from '../command.js';
import { consoleLines, portOrOnlyCandidate, serialOptions } from './flash.js';
import { seconds } from './shared.js';

/** Ctrl-], as telnet and miniterm have it: every other key goes to the device, Ctrl-C included. */
const EXIT_KEY = 0x1d;

async function printPorts(): Promise<number> {
  const ports = await listPorts();
  if (ports.length === 0) {
    console.error('bento: no serial ports found');
    return 0;
  }
  for (const p of ports) {
    const reason = candidateReason(p);
    console.log(`${reason ? '*' : ' '} ${p.path.padEnd(16)} ${describe(p)}${reason ? ` [${reason}]` : ''}`);
  }
  const likely = ports.filter((p) => candidateReason(p) !== undefined).length;
  console.error(likely > 0 ? 'bento: * likely a board (used when --port is left out and it is the only one)' : 'bento: none looks like a board (a USB serial adapter, ST-LINK or CDC port would be marked *)');
  return 0;
}

export const monitorCommand: Command = {
  name: 'monitor',
  positionals: 'none',
  summary: 'a serial console: shows what a board prints and sends it what you type',
  usage: '[--port PORT] [--board BOARD] [--baud N] | --list',
  details:
    'Copies the port to stdout and what you type to the port. On a terminal, keys go over one by\n' +
    'one (Ctrl-C included) and Ctrl-] ends it; with stdin not a terminal, its bytes are sent as\n' +
    'they come and Ctrl-C ends it. It also ends when the port closes or at --timeout. While\n' +
    '`bento flash` writes the board the monitor lends it the port, and shows the image\'s output\n' +
    'from its first byte. Without --port it uses the one port that looks like a board (--list).',
  options: {
    port: { type: 'string', short: 'p', value: 'PORT', description: 'serial device or tcp://host:port' },
    list: { type: 'boolean', short: 'l', description: 'list serial ports, marking the likely boards' },
    board: { type: 'string', short: 'b', value: 'BOARD', description: "take the baud rate from this board's console" },
    baud: { type: 'string', value: 'N', description: 'baud rate (default 115200)' },
    parity: { type: 'string', value: 'PARITY', choices: ['none', 'even'], description: 'parity (default none)' },
    timeout: { type: 'string', short: 't', value: 'SECONDS', description: 'stop after this long (default: never)' },
  },
  async run(_positionals, options) {
    if (options.list) return printPorts();
    const settings = serialOptions(options.board ? consoleLines(loadBoard(options.board as string)) : undefined, options);
    const until = options.timeout === undefined ? Infinity : Date.now() + seconds(options.timeout, 'timeout', 1) * 1000;
    const port = await portOrOnlyCandidate(options, 'monitor');
    const monitor = await startMonitor({ port, settings, until, output: (d) => process.stdout.write(d), note: (t) => console.error(t) });
    const tty = process.stdin.isTTY === true;
    console.error(`bento: monitoring ${port} at ${settings.baud} baud (${tty ? 'Ctrl-]' : 'Ctrl-C'} to stop)`);
    const restore = () => {
      if (tty && process.stdin.isRaw) process.stdin.setRawMode(false);
    };
    // However bento ends (an error, a signal, process.exit), the terminal gets its mode back.
    process.once('exit', restore);
    const onSignal = () => monitor.stop();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    process.once('SIGHUP', onSignal);
    const onKeys = (data: Buffer) => {
      const exit = tty ? data.indexOf(EXIT_KEY) : -1;
      if (exit >= 0) {
        if (exit > 0) monitor.send(data.subarray(0, exit));
        monitor.stop();
        return;
      }
      monitor.send(data);
    };
    if (tty) process.stdin.setRawMode(true);
    process.stdin.on('data', onKeys);
    try {
      const end = await monitor.done;
      if (end === 'timeout') console.error(`bento: monitor stopped after ${options.timeout} s`);
      return 0;
    } finally {
      restore();
      process.stdin.off('data', onKeys);
      // Stops reading stdin, which would otherwise keep bento alive after the monitor ended.
      process.stdin.pause();
      process.stdin.unref?.();
    }
  },
};
