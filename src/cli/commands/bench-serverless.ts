import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { runLoad, summariseLoad } from '../../bench/serverless.js';
import type { LoadMode } from '../../bench/serverless.js';
import { formatServerlessReport } from '../../bench/serverless-report.js';
import type { ServerlessRun } from '../../bench/serverless-report.js';
import type { MixEntry } from '../../bench/serverless-load.js';
import { fail } from '../../diagnostics/error.js';
import { DevicePool } from '../../serve/pool.js';
import type { DeviceSource } from '../../serve/sources.js';
import type { OptionSpec, OptionValues } from '../command.js';
import { note, printJsonValue, progress } from '../output.js';
import { buildServerless, emulatedDevices, parseDeadline, positiveInteger, serialDevices, tcpDevices } from './device-options.js';
import { listOption, seconds } from './shared.js';

/** The options `bento bench serverless` (or `bench --serverless`) adds to bench's. */
export const serverlessBenchOptions: Record<string, OptionSpec> = {
  serverless: { type: 'boolean', description: 'a request load on serverless devices instead (as `bento bench serverless`; see docs/serve.md)' },
  rate: { type: 'string', value: 'N', description: 'serverless: requests per second of wall time, open loop (default: 100)' },
  duration: { type: 'string', value: 'SECONDS', description: 'serverless: how long to send at --rate (default: 10)' },
  requests: { type: 'string', value: 'N', description: 'serverless: how many requests in all (instead of --duration)' },
  arrivals: { type: 'string', value: 'SPACING', choices: ['poisson', 'fixed'], description: 'serverless: gaps between requests (default: poisson)' },
  burst: { type: 'string', value: 'N', description: 'serverless: send N requests at once, the next N when all are answered, instead of a rate (a load defined in device ticks)' },
  mix: { type: 'string', value: 'ROUTE:WEIGHT[:DEADLINE],...', description: "serverless: the routes and their shares, e.g. parse:3,filter:1:5ms (default: every route, once, its own deadline)" },
  payload: { type: 'string', value: 'ROUTE=@FILE|TEXT,...', description: "serverless: each route's request (default: 32 bytes of text)" },
  seed: { type: 'string', value: 'N', description: 'serverless: the seed of the route choice and the gaps (default: 1)' },
  emulate: { type: 'string', value: 'N', description: 'serverless: emulated devices per recipe (default: 1, unless --device or --serial)' },
  recipe: { type: 'string', short: 'r', value: 'FILES', description: 'serverless: recipes of the project in this folder, comma-separated, measured one after another and shown side by side (default: bento.toml)' },
  icount: { type: 'boolean', description: 'serverless: deterministic virtual time for the emulated devices' },
  device: { type: 'string', value: 'tcp:HOST:PORT,...', description: 'serverless: load these devices instead of emulated ones' },
  serial: { type: 'string', value: 'PATH,...', description: 'serverless: load the devices on these serial ports' },
  baud: { type: 'string', value: 'N', description: 'serverless: the serial ports\' speed (default: 115200)' },
  timeout: { type: 'string', value: 'SECONDS', description: 'serverless: how long a request may wait for its answer (default: 10)' },
};

const otherBenchOptions = ['quick', 'kernels', 'svg', 'examples', 'ram', 'latency', 'libraries', 'markdown'] as const;

function parseMix(text: string | boolean | undefined): MixEntry[] | undefined {
  if (text === undefined) return undefined;
  return listOption(text).map((entry) => {
    const [route, weight, deadline] = entry.split(':');
    const w = weight === undefined ? 1 : Number(weight);
    if (!route || !Number.isFinite(w) || w <= 0) fail('B9001', `--mix: '${entry}' is not ROUTE[:WEIGHT[:DEADLINE]]`, { hint: 'e.g. --mix parse:3,filter:1:5ms' });
    return { route, weight: w, deadlineUs: deadline === undefined ? undefined : parseDeadline(deadline, 'mix') };
  });
}

function parsePayloads(text: string | boolean | undefined): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const entry of listOption(text)) {
    const eq = entry.indexOf('=');
    if (eq < 1) fail('B9001', `--payload: '${entry}' is not ROUTE=@FILE or ROUTE=TEXT`);
    const value = entry.slice(eq + 1);
    out.set(entry.slice(0, eq), value.startsWith('@') ? readFileSync(value.slice(1)) : Buffer.from(value));
  }
  return out;
}

const defaultPayload = Buffer.from('bento bench serverless request.');

interface Target {
  label: string;
  sources: DeviceSource[];
}

async function targets(options: OptionValues): Promise<Target[]> {
  const given = [...tcpDevices(options.device), ...serialDevices(options.serial, positiveInteger(options.baud, 'baud', 115200))];
  if (given.length > 0) {
    if (options.emulate !== undefined) fail('B9001', 'give --emulate or --device/--serial, not both');
    return [{ label: 'devices given', sources: given }];
  }
  const boards = listOption(options.board);
  if (boards.length !== 1) fail('B9001', `bento bench serverless needs one emulated board (--board m4), or --device`, { hint: 'e.g. `bento bench serverless --board m4 --icount --emulate 2`' });
  const count = positiveInteger(options.emulate, 'emulate', 1, 64);
  const recipes = options.recipe === undefined ? ['bento.toml'] : listOption(options.recipe);
  const out: Target[] = [];
  for (const recipe of recipes) {
    const project = await buildServerless(boards[0]!, recipe);
    out.push({ label: basename(recipe), sources: emulatedDevices(project, count, options.icount === true) });
  }
  return out;
}

export async function serverlessBench(options: OptionValues): Promise<number> {
  for (const other of otherBenchOptions) if (options[other] !== undefined && options[other] !== false) fail('B9001', `--${other} does not apply to bench serverless`);
  const burst = options.burst === undefined ? undefined : positiveInteger(options.burst, 'burst', 1, 4096);
  if (burst !== undefined && (options.rate !== undefined || options.duration !== undefined)) fail('B9001', '--burst replaces --rate and --duration: give one way to load');
  const rate = Number(options.rate ?? 100);
  if (!Number.isFinite(rate) || rate <= 0) fail('B9001', `--rate must be a positive number of requests per second, not '${options.rate}'`);
  const mode: LoadMode = burst !== undefined ? { kind: 'bursts', size: burst } : { kind: 'rate', rate, arrivals: (options.arrivals as 'poisson' | 'fixed' | undefined) ?? 'poisson' };
  const requests = options.requests !== undefined ? positiveInteger(options.requests, 'requests', 1) : burst !== undefined ? burst * 20 : Math.max(1, Math.round(rate * seconds(options.duration, 'duration', 10)));
  const seed = positiveInteger(options.seed, 'seed', 1);
  const timeoutMs = seconds(options.timeout, 'timeout', 10) * 1000;
  const wantedMix = parseMix(options.mix);
  const payloads = parsePayloads(options.payload);
  const loadText = `${requests} requests, ${mode.kind === 'bursts' ? `bursts of ${mode.size}` : `${mode.rate}/s ${mode.arrivals}`}, seed ${seed}`;

  const runs: ServerlessRun[] = [];
  for (const target of await targets(options)) {
    const pool = new DevicePool(target.sources, { connection: { requestTimeoutMs: timeoutMs, livenessMs: 2000 }, onState: (m, s, why) => progress(`${target.label}: ${m.source.name} ${s}${why ? `: ${why}` : ''}`) });
    try {
      await pool.start();
      const up = pool.members.filter((m) => m.state === 'up');
      if (up.length === 0) fail('B6006', `${target.label}: no device came up`, { hint: 'see the messages above' });
      const info = up[0]!.connection!.info;
      const mix = wantedMix ?? info.routes.map((r) => ({ route: r.route, weight: 1 }));
      for (const m of mix) if (!info.routes.some((r) => r.route === m.route)) fail('B9001', `--mix: the devices serve no route '${m.route}'`, { hint: `they serve ${info.routes.map((r) => r.route).join(', ')}` });
      const routePayloads = new Map(mix.map((m) => [m.route, payloads.get(m.route) ?? defaultPayload.subarray(0, info.routes.find((r) => r.route === m.route)!.maxRequest)]));
      note(`bench serverless: ${target.label} (${info.policy.toUpperCase()}, ${up.length} device(s)): ${loadText}`);
      const result = await runLoad(pool, { mix, payloads: routePayloads, mode, requests, seed }, (sent, answered) => progress(`${target.label}: ${sent} sent, ${answered} answered`));
      runs.push({
        label: target.label,
        scheduler: info.policy,
        instances: Object.fromEntries(info.routes.map((r) => [r.route, r.instance])),
        devices: up.length,
        counterHz: info.counterHz,
        wallSeconds: result.wallSeconds,
        deviceSeconds: result.deviceSeconds,
        routes: summariseLoad(result, mix.map((m) => m.route), info.counterHz),
      });
    } finally {
      await pool.close();
    }
  }
  if (options.json) printJsonValue({ load: { requests, mode, seed }, runs });
  else console.log(formatServerlessReport(runs, loadText));
  return 0;
}
