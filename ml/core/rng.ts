/**
 * The one seeded PRNG of ml/ (mulberry32) and the hashes that derive seeds, so "random" init
 * weights, training batches and the procedural Shapes world are identical on every machine.
 */
export class Rng {
  private s: number;
  /** `seed` is the raw 32-bit state (0 becomes 0x9e3779b9) */
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }

  /**
   * A stream whose state is hashSeed(...xs): (seed, index) pairs give independent streams.
   * What the Shapes world samples from.
   */
  static hashed(...xs: number[]): Rng {
    const r = new Rng(1);
    r.s = hashSeed(...xs);
    return r;
  }

  /** the raw 32-bit state: `Rng.fromState(rng.state)` continues the same stream (a training checkpoint keeps it) */
  get state(): number {
    return this.s;
  }
  static fromState(state: number): Rng {
    const r = new Rng(1);
    r.s = state >>> 0;
    return r;
  }

  /** uniform in [0, 1) */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** integer in [lo, hi] inclusive */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  float(min: number, max: number): number {
    return min + (max - min) * this.next();
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  normal(): number {
    const u = Math.max(this.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  pick<T>(items: readonly T[]): T {
    if (!items.length) throw new Error("Rng.pick from an empty list");
    return items[Math.floor(this.next() * items.length)];
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [v, w] of items) {
      r -= w;
      if (r < 0) return v;
    }
    return items[items.length - 1][0];
  }
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }
}

/**
 * Mixes integers into one 32-bit seed (murmur3 finaliser), so that (seed, index) pairs give
 * independent streams. Accepts non-negative integers up to 2^53.
 */
export function hashSeed(...xs: number[]): number {
  let h = 0x9e3779b9;
  const mix = (v: number) => {
    h = Math.imul(h ^ (v >>> 0), 0x85ebca6b);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  };
  for (const x of xs) {
    const n = Math.floor(Math.abs(x));
    mix(n % 0x100000000);
    mix(Math.floor(n / 0x100000000));
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Stable 32-bit string hash (FNV-1a), used to derive per-parameter seeds and hash buckets. */
export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
