import { dispatch } from '../serve/dispatch.js';
import type { GatewayStatus } from '../serve/dispatch.js';
import type { DevicePool } from '../serve/pool.js';
import { arrivalTimes, percentile, routePicker, seededRandom } from './serverless-load.js';
import type { Arrivals, MixEntry } from './serverless-load.js';

/**
 * `bento bench serverless`: a load sent through the gateway's own pool and dispatch to serverless
 * devices, each answer kept as a sample, then summed up per route. Two ways to load:
 * - rate: open loop at `rate` requests per second of wall time, fixed or Poisson gaps. Under
 *   QEMU -icount with sleep=off virtual time runs as fast as the host executes, so the rate the
 *   device sees in its own ticks is only roughly the wall rate.
 * - bursts: `size` requests sent at once, the next burst when all are answered. The device then
 *   sees a backlog of `size` frames arriving back to back on its UART whatever the host's speed,
 *   so its tick latencies compare schedulers (EDF, FIFO) and instances (fresh, warm) exactly.
 */
export type LoadMode = { kind: 'rate'; rate: number; arrivals: Arrivals } | { kind: 'bursts'; size: number };

export interface LoadPlan {
  mix: readonly MixEntry[];
  payloads: ReadonlyMap<string, Buffer>;
  mode: LoadMode;
  requests: number;
  seed: number;
}

export interface Sample {
  route: string;
  status: GatewayStatus;
  device: string;
  latencyTicks?: number;
  wallMs: number;
}

export interface LoadResult {
  samples: Sample[];
  wallSeconds: number;
  /** Virtual device time the load took: the largest growth of any device's uptime (STATS), in seconds. */
  deviceSeconds?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function uptimes(pool: DevicePool): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  await Promise.all(
    pool.members.map(async (m) => {
      if (m.state !== 'up') return;
      try {
        out.set(m.source.name, (await m.connection!.stats()).uptimeTicks / m.connection!.info.counterHz);
      } catch {
        // a device that does not answer STATS just has no device time
      }
    }),
  );
  return out;
}

export async function runLoad(pool: DevicePool, plan: LoadPlan, onProgress?: (sent: number, answered: number) => void): Promise<LoadResult> {
  const random = seededRandom(plan.seed);
  const pick = routePicker(plan.mix, random);
  const samples: Sample[] = [];
  const before = await uptimes(pool);
  const send = async (): Promise<void> => {
    const m = pick();
    const reply = await dispatch(pool, m.route, plan.payloads.get(m.route) ?? Buffer.alloc(0), m.deadlineUs);
    samples.push({ route: m.route, status: reply.status, device: reply.device, latencyTicks: reply.latencyTicks, wallMs: reply.wallMs });
  };
  const started = performance.now();
  const progress = setInterval(() => onProgress?.(sent, samples.length), 1000);
  let sent = 0;
  const inFlight: Promise<void>[] = [];
  try {
    if (plan.mode.kind === 'bursts') {
      while (sent < plan.requests) {
        const size = Math.min(plan.mode.size, plan.requests - sent);
        sent += size;
        await Promise.all(Array.from({ length: size }, send));
      }
    } else {
      const times = arrivalTimes(plan.requests, plan.mode.rate, plan.mode.arrivals, random);
      for (const at of times) {
        const wait = started + at - performance.now();
        if (wait > 1) await sleep(wait);
        inFlight.push(send());
        sent++;
      }
      await Promise.all(inFlight);
    }
  } finally {
    clearInterval(progress);
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const after = await uptimes(pool);
  const grown = [...after].flatMap(([name, t]) => (before.has(name) ? [t - before.get(name)!] : []));
  return { samples, wallSeconds, deviceSeconds: grown.length ? Math.max(...grown) : undefined };
}

export interface Quantiles {
  p50: number;
  p90: number;
  p99: number;
}

export interface RouteSummary {
  route: string;
  sent: number;
  ok: number;
  /** OK answers per second of wall time, and per second of device time when known. */
  okPerSecond: number;
  okPerDeviceSecond?: number;
  /** Of answers that ran to the end (OK and DEADLINE_MISSED): device ticks and the same in µs; wall ms of every answer a device gave. */
  latencyTicks?: Quantiles;
  latencyUs?: Quantiles;
  wallMs?: Quantiles;
  missRate: number;
  rejectionRate: number;
  errorRate: number;
  statuses: Record<string, number>;
}

/** Refusals of load: the device's admission and queue, and the gateway's cap on requests in flight. */
const rejections: readonly GatewayStatus[] = ['REJECTED', 'QUEUE_FULL', 'BUSY'];

function quantiles(values: number[]): Quantiles | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50)!, p90: percentile(sorted, 90)!, p99: percentile(sorted, 99)! };
}

export function summarise(route: string, samples: readonly Sample[], result: LoadResult, counterHz: number): RouteSummary {
  const statuses: Record<string, number> = {};
  for (const s of samples) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
  const sent = samples.length;
  const ok = statuses.OK ?? 0;
  const missed = statuses.DEADLINE_MISSED ?? 0;
  const rejected = rejections.reduce((n, s) => n + (statuses[s] ?? 0), 0);
  const ticks = samples.filter((s) => (s.status === 'OK' || s.status === 'DEADLINE_MISSED') && s.latencyTicks !== undefined).map((s) => s.latencyTicks!);
  const latencyTicks = quantiles(ticks);
  const toUs = (t: number) => (t * 1e6) / counterHz;
  const rate = (n: number) => (sent ? n / sent : 0);
  return {
    route,
    sent,
    ok,
    okPerSecond: ok / result.wallSeconds,
    ...(result.deviceSeconds ? { okPerDeviceSecond: ok / result.deviceSeconds } : {}),
    latencyTicks,
    latencyUs: latencyTicks && { p50: toUs(latencyTicks.p50), p90: toUs(latencyTicks.p90), p99: toUs(latencyTicks.p99) },
    wallMs: quantiles(samples.filter((s) => s.device !== '').map((s) => s.wallMs)),
    missRate: rate(missed),
    rejectionRate: rate(rejected),
    errorRate: rate(sent - ok - missed - rejected),
    statuses,
  };
}

/** Per route (in the mix's order) and overall ('*'). */
export function summariseLoad(result: LoadResult, routes: readonly string[], counterHz: number): RouteSummary[] {
  return [...routes.map((r) => summarise(r, result.samples.filter((s) => s.route === r), result, counterHz)), summarise('*', result.samples, result, counterHz)];
}
