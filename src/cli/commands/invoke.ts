import { readFileSync } from 'node:fs';
import { fail } from '../../diagnostics/error.js';
import type { DeviceConnection } from '../../serve/device.js';
import { formatInfo, formatMicros, formatStats } from '../../serve/format.js';
import { exitForStatus, invokeExit } from '../../serve/invoke-exit.js';
import { checkRouteName } from '../../serve/protocol.js';
import type { Command, OptionValues } from '../command.js';
import { detail, note, printJsonValue } from '../output.js';
import { oneDevice, oneDeviceOptions, parseDeadline } from './device-options.js';
import { seconds } from './shared.js';

/** --data 'text', --data @file, --data - (stdin); none: an empty payload. */
function payloadOf(data: string | boolean | undefined): Buffer {
  if (data === undefined) return Buffer.alloc(0);
  const text = data as string;
  if (text === '-') return readFileSync(0);
  if (text.startsWith('@')) {
    try {
      return readFileSync(text.slice(1));
    } catch (err) {
      fail('B9001', `--data ${text}: cannot read ${text.slice(1)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  return Buffer.from(text, 'utf8');
}

/** A payload in JSON: as text when it is UTF-8, and always as base64. */
function payloadJson(payload: Buffer): { text: string | null; base64: string } {
  const text = payload.toString('utf8');
  return { text: Buffer.from(text, 'utf8').equals(payload) ? text : null, base64: payload.toString('base64') };
}

async function request(device: DeviceConnection, route: string, options: OptionValues, timeoutMs: number): Promise<number> {
  const deadlineUs = options.deadline === undefined ? undefined : parseDeadline(options.deadline as string);
  const outcome = await device.request(route, payloadOf(options.data), deadlineUs, timeoutMs);
  const hz = device.info.counterHz;
  if (outcome.kind !== 'response') {
    const what = outcome.kind === 'timeout' ? `no answer within ${timeoutMs / 1000} s` : `the device went down: ${outcome.reason}`;
    if (options.json) printJsonValue({ device: device.name, route, status: outcome.kind === 'timeout' ? 'TIMEOUT' : 'DOWN', message: what, wallMs: outcome.wallMs });
    else console.error(`bento: ${route} on ${device.name}: ${what}`);
    return outcome.kind === 'timeout' ? invokeExit.timeout : invokeExit.down;
  }
  const r = outcome.response;
  const micros = (ticks: number) => (ticks * 1e6) / hz;
  if (options.json) {
    printJsonValue({
      device: device.name, route, status: r.status, code: r.code,
      queuedTicks: r.queuedTicks, runTicks: r.runTicks, latencyTicks: r.latencyTicks,
      latencyUs: micros(r.latencyTicks), counterHz: hz, wallMs: outcome.wallMs, payload: payloadJson(r.payload),
    });
  } else {
    process.stdout.write(r.payload);
    // Keep the status line off the end of a payload that has no newline, on a terminal.
    if (process.stdout.isTTY && r.payload.length > 0 && r.payload[r.payload.length - 1] !== 0x0a) process.stdout.write('\n');
    const ticks = `latency ${r.latencyTicks} ticks (${formatMicros(micros(r.latencyTicks))}), queued ${r.queuedTicks}, run ${r.runTicks}`;
    note(`${r.status} (code ${r.code}) from ${device.name}: ${ticks}; ${outcome.wallMs.toFixed(1)} ms wall`);
    if ((r.status === 'BUDGET_EXCEEDED' || r.status === 'DEADLINE_MISSED') && options.board !== undefined && !options.icount) {
      note('  hint: without --icount QEMU\'s clock is the host\'s, and a new emulator runs its first request at code-translation speed; --icount gives the device\'s own time');
    }
    if (r.status === 'UNKNOWN_ROUTE') note(`  ${device.name} serves ${device.info.routes.map((x) => x.route).join(', ') || 'no routes at all'}`);
  }
  return exitForStatus(r.status);
}

export const invokeCommand: Command = {
  name: 'invoke',
  positionals: 'none',
  summary: 'send one request to a serverless device and print its answer',
  usage: '<route> [--data TEXT|@FILE|-] [--deadline 2ms] (--device tcp:HOST:PORT | --port PATH [--baud N] | --board BOARD [--recipe FILE]) [--json] | --info | --stats',
  details:
    "The response's payload goes to stdout as bytes; its status, code and ticks to stderr (everything on\n" +
    'stdout with --json). --board builds the project in this folder and starts it on QEMU for the one request.\n' +
    'Exit codes: 0 OK, 10 + the status byte for the other answers (11 REJECTED, 12 DEADLINE_MISSED,\n' +
    '13 FUNCTION_ERROR, 14 BUDGET_EXCEEDED, 15 BAD_FRAME, 16 UNKNOWN_ROUTE, 17 TOO_LARGE, 18 BAD_DEADLINE,\n' +
    '19 QUEUE_FULL, 20 BAD_TYPE), 124 no answer within --timeout, 125 the device went down (docs/serve.md).',
  options: {
    data: { type: 'string', short: 'd', value: 'TEXT|@FILE|-', description: "the request's payload: text, @file for a file's bytes, - for stdin (default: empty)" },
    deadline: { type: 'string', value: 'TIME', description: "the request's relative deadline, e.g. 2ms or 500us (default: the route's own)" },
    info: { type: 'boolean', description: "print the device's routes and scheduling (INFO) instead of sending a request" },
    stats: { type: 'boolean', description: "print the device's counters and latency histograms (STATS) instead" },
    timeout: { type: 'string', short: 't', value: 'SECONDS', description: 'how long to wait for the answer (default: 10)' },
    json: { type: 'boolean', description: 'the answer as JSON on stdout (payload as text and base64)' },
    ...oneDeviceOptions,
  },
  async run(positionals, options) {
    const asking = options.info || options.stats;
    if (options.info && options.stats) fail('B9001', 'give --info or --stats, not both');
    if (asking && positionals.length > 0) fail('B9001', `--${options.info ? 'info' : 'stats'} takes no route (got '${positionals[0]}')`);
    if (!asking && positionals.length !== 1) fail('B9001', positionals.length ? `bento invoke takes one route, got ${positionals.length}` : 'bento invoke needs a route', { hint: 'e.g. `bento invoke parse --data @req.json --board m4`; --info lists the routes' });
    if (!asking) {
      try {
        checkRouteName(positionals[0]!);
      } catch (err) {
        fail('B9001', `bento invoke: ${(err as Error).message}`, { hint: 'the protocol carries route names of 1 to 31 printable ASCII characters' });
      }
    }
    const timeoutMs = seconds(options.timeout, 'timeout', 10) * 1000;
    const source = await oneDevice(options, (name, line) => detail(`[${name}] ${line}`));
    let device: DeviceConnection;
    try {
      device = await source.connect({ requestTimeoutMs: timeoutMs, livenessMs: Math.min(timeoutMs, 2000) });
    } catch (err) {
      await source.stop();
      fail('B6006', `no serverless device answers at ${source.where}: ${(err as Error).message}`, { hint: 'is the request UART wired there, and the firmware a serverless one?' });
    }
    try {
      if (options.info) {
        const { kind: _kind, id: _id, ...info } = device.info;
        if (options.json) printJsonValue({ device: device.name, ...info });
        else console.log(formatInfo(`${device.name} (${source.where})`, device.info));
        return 0;
      }
      if (options.stats) {
        const stats = await device.stats(timeoutMs).catch((err: Error) => fail('B6006', err.message));
        const { kind: _kind, id: _id, ...counters } = stats;
        if (options.json) printJsonValue({ device: device.name, counterHz: device.info.counterHz, ...counters });
        else console.log(formatStats(`${device.name} (${source.where})`, stats, device.info.counterHz));
        return 0;
      }
      return await request(device, positionals[0]!, options, timeoutMs);
    } finally {
      device.close();
      await source.stop();
    }
  },
};
