/**
 * The load of `bento bench serverless`: which route each request goes to (a weighted mix) and
 * when it is sent (open loop at a rate, with fixed or Poisson spacing, or bursts). Seeded, so
 * two runs (say an EDF and a FIFO image) get the same sequence of routes and gaps.
 */

export interface MixEntry {
  route: string;
  weight: number;
  /** Microseconds; undefined: the route's own relative deadline. */
  deadlineUs?: number;
}

export type Arrivals = 'poisson' | 'fixed';

/** A small seeded PRNG (mulberry32): reproducible loads without a dependency. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks routes by weight. */
export function routePicker(mix: readonly MixEntry[], random: () => number): () => MixEntry {
  const total = mix.reduce((s, m) => s + m.weight, 0);
  return () => {
    let x = random() * total;
    for (const m of mix) {
      x -= m.weight;
      if (x < 0) return m;
    }
    return mix[mix.length - 1]!;
  };
}

/** Send times in ms from the start: `count` of them at `rate` per second of wall time. */
export function arrivalTimes(count: number, rate: number, arrivals: Arrivals, random: () => number): number[] {
  const times: number[] = [];
  let t = 0;
  for (let i = 0; i < count; i++) {
    times.push(t);
    // Poisson arrivals: exponential gaps with mean 1/rate.
    t += arrivals === 'fixed' ? 1000 / rate : (-Math.log(1 - random()) * 1000) / rate;
  }
  return times;
}

/** Percentile by nearest rank of sorted values (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
