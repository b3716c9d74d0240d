// The one place numeric buffers are made. Ops, cells and training code call `alloc`
// instead of `new Float32Array`, so that the backend decides where buffers live (the wasm
// backend's float32 buffers live in its memory), and a spec can count allocations (none may
// happen inside a time loop). On the wasm backend a buffer is reclaimed once it is garbage:
// keep the buffer alloc gave you for as long as you use a subarray of it.
import { kernelBackend, wasmBackend } from '../kernels/backend.js';
import type { Buf } from '../kernels/types.js';
import { ArgumentError } from './errors.js';

/** Element type of a tensor: float32 for speed, float64 for gradient checks. */
export type DType = 'f32' | 'f64';

let allocations = 0;

export function alloc(dtype: 'i32', length: number): Int32Array;
export function alloc(dtype: 'f64', length: number): Float64Array;
export function alloc(dtype: 'f32', length: number): Float32Array;
export function alloc(dtype: DType, length: number): Buf;
export function alloc(dtype: DType | 'i32', length: number): Buf | Int32Array {
  if (!Number.isInteger(length) || length < 0) {
    throw new ArgumentError('alloc', 'length', 'a non-negative integer', length);
  }
  allocations++;
  // On the wasm backend float32 buffers live in its heap (while it has room).
  if (dtype === 'f32') return (kernelBackend() === 'wasm' ? onHeap(length) : null) ?? new Float32Array(length);
  if (dtype === 'f64') return new Float64Array(length);
  if (dtype === 'i32') return new Int32Array(length);
  throw new ArgumentError('alloc', 'dtype', '\'f32\', \'f64\' or \'i32\'', dtype);
}

let heapFullSaid = false;

/** A float32 buffer in the wasm heap, or null (said once) when the heap has no room. */
function onHeap(length: number): Float32Array | null {
  const buf = wasmBackend().heap.f32(length);
  if (buf === null && !heapFullSaid) {
    heapFullSaid = true;
    console.warn(
      'rnnlab: the wasm heap is full; new float32 buffers live outside it, and the kernels copy them in or run in TypeScript ' +
      '(slower, same results). Garbage buffers are reclaimed only when the event loop turns: yield (await) between training steps.',
    );
  }
  return buf;
}

/** How many buffers `alloc` has made since the process started. */
export function allocationCount(): number {
  return allocations;
}

/** The dtype of a buffer made by `alloc`. */
export function dtypeOf(buf: Buf): DType {
  return buf instanceof Float64Array ? 'f64' : 'f32';
}
