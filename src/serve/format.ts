import { histogramFirstLog2 } from './limits.js';
import type { InfoMessage, StatsMessage } from './protocol.js';

/** Readable text of INFO and STATS for `bento invoke --info/--stats`; JSON gets the messages themselves. */

const us = (ticks: number, counterHz: number) => (ticks * 1e6) / counterHz;

/** "12.3 µs", "4.56 ms": a duration given in microseconds, with a unit that keeps it short. */
export function formatMicros(micros: number): string {
  if (micros < 1000) return `${micros.toFixed(micros < 10 ? 2 : 1)} µs`;
  if (micros < 1e6) return `${(micros / 1000).toFixed(2)} ms`;
  return `${(micros / 1e6).toFixed(2)} s`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => `  ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}`.trimEnd());
}

export function formatInfo(name: string, info: InfoMessage): string {
  const head = `${name}: ${info.policy.toUpperCase()} scheduling, utilisation bound ${info.utilisation.toFixed(3)}, ${info.queue} queue slots, counter ${info.counterHz} Hz`;
  const rows = [['route', 'expected', 'deadline', 'budget', 'max request', 'max response', 'instance']];
  for (const r of info.routes) {
    rows.push([r.route, formatMicros(r.expectedUs), formatMicros(r.deadlineUs), r.budgetUs ? formatMicros(r.budgetUs) : 'none', `${r.maxRequest} B`, `${r.maxResponse} B`, r.instance]);
  }
  return [head, ...table(rows)].join('\n');
}

/** The lower edge in ticks of latency bucket i (bucket 0 also holds everything below it). */
export const bucketFloor = (i: number) => 2 ** (i + histogramFirstLog2);

/** The latency below which `fraction` of a histogram's counts lie, as the upper edge of that bucket (an upper bound). */
export function histogramQuantile(latency: readonly number[], fraction: number): number | undefined {
  const total = latency.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  let seen = 0;
  for (let i = 0; i < latency.length; i++) {
    seen += latency[i]!;
    if (seen >= fraction * total) return i === latency.length - 1 ? Infinity : bucketFloor(i + 1);
  }
  return Infinity;
}

export function formatStats(name: string, stats: StatsMessage, counterHz: number): string {
  const lines = [`${name}: up ${formatMicros(us(stats.uptimeTicks, counterHz))} (${stats.uptimeTicks} ticks), ${stats.badFrames} bad frames, ${stats.queueFull} queue full`];
  const bound = (t: number | undefined) => (t === undefined ? '-' : t === Infinity ? 'over' : `≤ ${formatMicros(us(t, counterHz))}`);
  const rows = [['route', 'served', 'rejected', 'missed', 'failed', 'budget', 'p50', 'p99', 'restores', 'restore mean']];
  for (const r of stats.routes) {
    const restoreMean = r.restores ? formatMicros(us(r.restoreTicks / r.restores, counterHz)) : '-';
    rows.push([r.route, ...[r.served, r.rejected, r.missed, r.failed, r.budget].map(String), bound(histogramQuantile(r.latency, 0.5)), bound(histogramQuantile(r.latency, 0.99)), String(r.restores), restoreMean]);
  }
  lines.push(...table(rows));
  for (const r of stats.routes) {
    const most = Math.max(...r.latency);
    if (most === 0) continue;
    lines.push(`  ${r.route}: latency (OK and missed), in ticks of ${counterHz} Hz`);
    r.latency.forEach((count, i) => {
      if (count === 0) return;
      const range = i === 0 ? `< ${bucketFloor(1)}` : i === r.latency.length - 1 ? `>= ${bucketFloor(i)}` : `${bucketFloor(i)}..${bucketFloor(i + 1) - 1}`;
      const bar = '#'.repeat(Math.max(1, Math.round((count / most) * 40)));
      lines.push(`    ${range.padStart(22)}  ${String(count).padStart(7)}  ${bar}`);
    });
  }
  return lines.join('\n');
}
