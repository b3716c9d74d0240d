// Running a wasm kernel on float32 buffers wherever they live. A buffer in the heap is used
// in place (its address is its byteOffset); one outside it (an ordinary array: made before a
// switch to wasm, or a transient buffer made while the heap held its share) is copied into
// staging room in the heap, and copied back after when the kernel writes it. So a kernel's
// result never depends on where its buffers happen to live.
import { wasmBackend } from './choice.js';

/** The part of a buffer a kernel touches: n floats from element `at`. */
export interface Span {
  buf: Float32Array;
  at: number;
  n: number;
  /** The kernel writes it (so a staged copy goes back). */
  written?: boolean;
}

/**
 * Call `body` with each span's byte address in the heap. False, with nothing run, when the
 * heap has no room for the copies; otherwise what `body` returns (false: it declined).
 */
export function withAddresses(spans: readonly Span[], body: (addresses: number[]) => boolean): boolean {
  const w = wasmBackend();
  let need = 0;
  for (const s of spans) if (!w.heap.holds(s.buf)) need += 4 * s.n + 16;
  let next = need === 0 ? 0 : w.staging.fit(need);
  if (next < 0) return false;
  const staged: [Span, Float32Array][] = [];
  const addresses = spans.map((s) => {
    if (w.heap.holds(s.buf)) return s.buf.byteOffset + 4 * s.at;
    const room = new Float32Array(w.heap.memory.buffer, next, s.n);
    room.set(s.buf.subarray(s.at, s.at + s.n));
    staged.push([s, room]);
    next += 4 * s.n + 16 - ((4 * s.n) % 16);
    return room.byteOffset;
  });
  if (!body(addresses)) return false;
  for (const [s, room] of staged) if (s.written) s.buf.set(room, s.at);
  return true;
}
