// Moving rows between a time-major sequence [T, B, F] and the step order a recurrent pass
// uses. rowOf[s·B + b] is the sequence row that row b reads at step s: s·B + b going
// forward, (len_b − 1 − s)·B + b going backward (each sequence reversed within its own
// length), and s·B + b again for padded steps.
import { copyBlock } from './gather.js';
import type { Buf, IndexBuf } from './types.js';

/** rowOf for B sequences of the given lengths over T steps. */
export function stepRows(rowOf: IndexBuf, lengths: IndexBuf, reverse: boolean, T: number, B: number): void {
  for (let s = 0; s < T; s++) {
    for (let b = 0; b < B; b++) {
      const t = reverse && s < lengths[b] ? lengths[b] - 1 - s : s;
      rowOf[s * B + b] = t * B + b;
    }
  }
}

/** y[rowOf(s,b)] = h_s[b] for active rows, 0 for padded ones.  hs: [T+1, B, H], y: [T, B, H]. */
export function scatterOutputs(
  y: Buf,
  hs: Buf,
  rowOf: IndexBuf,
  lengths: IndexBuf,
  T: number,
  B: number,
  H: number,
): void {
  for (let s = 0; s < T; s++) {
    for (let b = 0; b < B; b++) {
      const to = rowOf[s * B + b] * H,
        from = ((s + 1) * B + b) * H;
      if (s < lengths[b]) for (let j = 0; j < H; j++) y[to + j] = hs[from + j];
      else y.fill(0, to, to + H);
    }
  }
}

/** dh[at + b·H] += dy[rowOf(s,b)] for the active rows of step s (the output's gradient joins the carried one). */
export function addOutputGrads(
  dh: Buf,
  dy: Buf,
  rowOf: IndexBuf,
  lengths: IndexBuf,
  s: number,
  B: number,
  H: number,
  at = 0,
): void {
  for (let b = 0; b < B; b++) {
    if (s >= lengths[b]) continue;
    const from = rowOf[s * B + b] * H,
      to = at + b * H;
    for (let j = 0; j < H; j++) dh[to + j] += dy[from + j];
  }
}

/** For rows inactive at step s, dst[b] = src[b]: a padded step passes its gradient through. */
export function carryInactive(dst: Buf, src: Buf, lengths: IndexBuf, s: number, B: number, H: number): void {
  for (let b = 0; b < B; b++) {
    if (s < lengths[b]) continue;
    for (let j = 0; j < H; j++) dst[b * H + j] = src[b * H + j];
  }
}

/**
 * Forward, a row whose sequence has ended (s ≥ its length) is carried, not computed: its
 * state at `next` is its state at `prev`, for h and (the LSTM's) c. True then, and the step
 * kernel skips the row.
 */
export function carriedPastEnd(
  s: number,
  length: number,
  H: number,
  next: number,
  prev: number,
  h: Buf,
  c: Buf | null = null,
): boolean {
  if (s < length) return false;
  copyBlock(h, next, h, prev, H);
  if (c !== null) copyBlock(c, next, c, prev, H);
  return true;
}

/**
 * Backward, a row whose sequence has ended gives its pre-activations no gradient: the n
 * floats at p of each gradient buffer are zero. True then, and the step kernel passes the
 * row's state gradient straight through to the step before.
 */
export function zeroedPastEnd(s: number, length: number, p: number, n: number, d: Buf, d2: Buf | null = null): boolean {
  if (s < length) return false;
  d.fill(0, p, p + n);
  d2?.fill(0, p, p + n);
  return true;
}
