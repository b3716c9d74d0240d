// A seeded random number generator that gives the same numbers on every machine:
// xoshiro128** (Blackman & Vigna, 2018) on 32-bit integer arithmetic (Math.imul and
// shifts, exact in every JavaScript engine), its state seeded by splitmix32.
import type { Buf } from '../kernels/js/types.js';
import { ArgumentError } from './errors.js';

export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /** seed: an integer in [0, 2^53). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new ArgumentError('Rng', 'seed', 'a non-negative safe integer', seed);
    }
    let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / 4294967296) >>> 0, 0x85ebca6b);
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x ^ (x >>> 16);
      z = Math.imul(z, 0x21f0aaad);
      z ^= z >>> 15;
      z = Math.imul(z, 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** The next 32 random bits, as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [lo, hi) (default [0, 1)), with 53 random bits. */
  uniform(lo = 0, hi = 1): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return lo + (hi - lo) * ((high * 67108864 + low) / 9007199254740992);
  }

  /** Normal with the given mean and standard deviation (Box–Muller, one draw per pair). */
  normal(mean = 0, std = 1): number {
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    return mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new ArgumentError('Rng.int', 'n', 'a positive integer', n);
    return Math.floor(this.uniform() * n);
  }

  /** Shuffle in place (Fisher–Yates) and return the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let q = items.length - 1; q > 0; q--) {
      const r = this.int(q + 1);
      const held = items[q];
      items[q] = items[r];
      items[r] = held;
    }
    return items;
  }

  fillUniform(buf: Buf, lo: number, hi: number): void {
    for (let q = 0; q < buf.length; q++) buf[q] = this.uniform(lo, hi);
  }

  fillNormal(buf: Buf, mean: number, std: number): void {
    for (let q = 0; q < buf.length; q++) buf[q] = this.normal(mean, std);
  }

  /** The whole state, four unsigned 32-bit words, for a checkpoint. */
  getState(): number[] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }

  setState(state: readonly number[]): void {
    if (
      !Array.isArray(state) ||
      state.length !== 4 ||
      !state.every((w) => Number.isInteger(w) && w >= 0 && w < 4294967296)
    ) {
      throw new ArgumentError('Rng.setState', 'state', 'four unsigned 32-bit integers', JSON.stringify(state), true);
    }
    if (state.every((w) => w === 0))
      throw new ArgumentError('Rng.setState', 'state', 'four words, not all zeros (xoshiro would stay at zero)', state);
    [this.s0, this.s1, this.s2, this.s3] = state.map((w) => w | 0);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
