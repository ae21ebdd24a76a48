import type { RouteSummary } from './serverless.js';

/** One load against one set of devices: a recipe's image (emulated) or the devices given. */
export interface ServerlessRun {
  /** The recipe file, or the devices given. */
  label: string;
  scheduler: string;
  /** Each route's instance kind (fresh, warm) as the device describes it. */
  instances: Record<string, string>;
  devices: number;
  counterHz: number;
  wallSeconds: number;
  deviceSeconds?: number;
  routes: RouteSummary[];
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const fixed = (x: number | undefined, digits = 0) => (x === undefined ? '-' : x.toFixed(digits));

/**
 * The runs side by side: one row per route and run, the runs of a route together, so EDF
 * against FIFO (or fresh against warm) reads down a column.
 */
export function formatServerlessReport(runs: readonly ServerlessRun[], load: string): string {
  const lines = [
    `### Serverless load: ${load}`,
    '',
    'Latency in device ticks (and µs at the counter\'s rate) of the answers that ran to the end (OK and',
    'DEADLINE_MISSED), from the last byte of the request\'s frame: the time on the UART is not in it. Wall',
    'ms of every answer a device gave, through the gateway, UART included. OK/s per second of wall time and',
    'of device time (the growth of the devices\' uptime: under -icount with sleep=off, idle time is skipped).',
    'Rejected: the device\'s admission (REJECTED), its queue (QUEUE_FULL) and the gateway\'s cap (BUSY).',
    '',
    ...runs.map((r) => `- ${r.label}: ${r.scheduler.toUpperCase()}, ${r.devices} device(s), ${r.wallSeconds.toFixed(1)} s wall${r.deviceSeconds !== undefined ? `, ${(r.deviceSeconds * 1000).toFixed(1)} ms device` : ''}`),
    '',
    '| route | run | instance | sent | OK/s wall | OK/s device | ticks p50 | p90 | p99 | µs p99 | wall ms p50 | p99 | missed | rejected | errors |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const routes = runs[0]?.routes.map((r) => r.route) ?? [];
  for (const route of routes) {
    for (const run of runs) {
      const s = run.routes.find((r) => r.route === route);
      if (!s) continue;
      const instance = route === '*' ? '' : (run.instances[route] ?? '?');
      lines.push(
        `| ${route === '*' ? 'all' : route} | ${run.label} (${run.scheduler}) | ${instance} | ${s.sent} | ${fixed(s.okPerSecond, 1)} | ${fixed(s.okPerDeviceSecond, 0)} | ` +
          `${fixed(s.latencyTicks?.p50)} | ${fixed(s.latencyTicks?.p90)} | ${fixed(s.latencyTicks?.p99)} | ${fixed(s.latencyUs?.p99, 1)} | ` +
          `${fixed(s.wallMs?.p50, 1)} | ${fixed(s.wallMs?.p99, 1)} | ${pct(s.missRate)} | ${pct(s.rejectionRate)} | ${pct(s.errorRate)} |`,
      );
    }
  }
  const odd = runs.flatMap((run) => run.routes.filter((r) => r.route === '*').map((r) => [run.label, r.statuses] as const));
  lines.push('', 'Answers by status:', ...odd.map(([label, statuses]) => `- ${label}: ${Object.entries(statuses).map(([k, v]) => `${k} ${v}`).join(', ')}`), '');
  return lines.join('\n');
}
