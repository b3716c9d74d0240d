// Shared by the specs: where the repository is, and comparisons of buffers.
import { fileURLToPath } from 'node:url';
import type { Buf } from '../kernels/js/types.js';
import { getBackend, setBackend, type BackendName } from '../core/backend.js';

/** The repository root (specs run from dist/spec). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The largest |a − b| over two buffers of equal length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxAbsDiff: lengths differ (${a.length} vs ${b.length})`);
  let worst = 0;
  for (let q = 0; q < a.length; q++) worst = Math.max(worst, Math.abs(a[q] - b[q]));
  return worst;
}

/** The largest |value| in a buffer (at least 1e-30, so it can divide). */
export function maxAbs(a: ArrayLike<number>): number {
  let worst = 1e-30;
  for (let q = 0; q < a.length; q++) worst = Math.max(worst, Math.abs(a[q]));
  return worst;
}

/** max |a − b| relative to the largest magnitude of b: how the golden tolerances are stated. */
export function relToMax(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return maxAbsDiff(a, b) / maxAbs(b);
}

export function isBuf(x: unknown): x is Buf {
  return x instanceof Float32Array || x instanceof Float64Array;
}

/** Run `body` on the given backend, then put the backend back. */
export function onBackend(name: BackendName, body: () => void): void {
  const before = getBackend();
  setBackend(name);
  try {
    body();
  } finally {
    setBackend(before);
  }
}
