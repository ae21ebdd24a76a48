// A small seeded generator (sfc32, seeded through a 32-bit mix), so that a run's seed and a case
// number say exactly which input was made: no Math.random anywhere in the fuzzer.

/** Mixes two 32-bit numbers into one (murmur3's finaliser over a combined word). */
export function mix32(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    this.a = mix32(seed, stream);
    this.b = mix32(this.a, 1);
    this.c = mix32(this.b, 2);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A uniform 32-bit unsigned number. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    if (n <= 0) return 0;
    return Math.floor((this.next() / 0x1_0000_0000) * n);
  }

  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() / 0x1_0000_0000 < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('fuzz rng: pick from an empty list');
    return items[this.int(items.length)]!;
  }

  /** Picks by weight: `[[weight, value], ...]`. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    const total = choices.reduce((sum, [w]) => sum + w, 0);
    let roll = this.next() / 0x1_0000_0000 * total;
    for (const [w, value] of choices) {
      if (roll < w) return value;
      roll -= w;
    }
    return choices[choices.length - 1]![1];
  }

  /** A number of a size that makes boundaries likely: small, a power of two and its neighbours, or huge. */
  interestingU32(): number {
    return this.weighted<() => number>([
      [4, () => this.int(8)],
      [2, () => this.int(256)],
      [2, () => (2 ** this.int(33) + this.range(-1, 1)) >>> 0],
      [1, () => 0xffffffff],
      [1, () => 0x7fffffff],
      [1, () => 0x10000],
      [1, () => 0x10001],
      [1, () => this.next()],
    ])();
  }
}
