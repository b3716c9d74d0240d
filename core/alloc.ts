// The one place numeric buffers are made. Ops, cells and training code call `alloc`
// instead of `new Float32Array`, so that the backend decides where buffers live (the wasm
// backend's float32 buffers live in its memory), and a spec can count allocations (none may
// happen inside a time loop). On the wasm backend a buffer is reclaimed once it is garbage:
// keep the buffer alloc gave you for as long as you use a subarray of it.
import { kernelBackend, wasmBackend } from '../kernels/backend/choice.js';
import type { Buf } from '../kernels/js/types.js';
import { ArgumentError } from './errors.js';
import { inScope, reuseBuffer, trackBuffer } from './scope.js';

/** Element type of a tensor: float32 for speed, float64 for gradient checks. */
export type DType = 'f32' | 'f64';

let allocations = 0;

export function alloc(dtype: 'i32', length: number): Int32Array;
export function alloc(dtype: 'f64', length: number): Float64Array;
export function alloc(dtype: 'f32', length: number): Float32Array;
export function alloc(dtype: DType, length: number): Buf;
export function alloc(dtype: DType | 'i32', length: number): Buf | Int32Array {
  return make('alloc', dtype, length, false, true);
}

/**
 * A buffer for a tensor (an op's output, a gradient, a temporary an op saves for backward):
 * recorded in the innermost open allocation scope (scope.ts), which frees it when it ends
 * unless a tensor returned from the scope holds it. An ordinary array (the js backend, float64)
 * comes from the arrays scopes freed, when one of its length is there.
 */
export function allocScoped(dtype: 'f64', length: number): Float64Array;
export function allocScoped(dtype: 'f32', length: number): Float32Array;
export function allocScoped(dtype: DType, length: number): Buf;
export function allocScoped(dtype: DType, length: number): Buf {
  const onTheHeap = dtype === 'f32' && kernelBackend() === 'wasm';
  // Made in a scope, the buffer is freed by it: the collector need not be prompted to find it.
  const buf =
    (onTheHeap ? null : reuseBuffer(dtype, length)) ?? (make('allocScoped', dtype, length, false, !inScope()) as Buf);
  trackBuffer(buf);
  return buf;
}

/**
 * A buffer that lives as long as its owner and is used over and over: parameters, their
 * gradients, optimizer state, a recurrent workspace. On the wasm backend it goes in the
 * heap for as long as there is room, where a transient buffer (alloc's) stops going once
 * the heap holds its share of them. `freedByOwner`: its owner hands it back with freeBuffer
 * (a workspace does), so the collector need not be prompted to find it.
 */
export function allocPinned(dtype: 'f32', length: number, freedByOwner?: boolean): Float32Array;
export function allocPinned(dtype: DType, length: number, freedByOwner?: boolean): Buf;
export function allocPinned(dtype: DType, length: number, freedByOwner = false): Buf {
  return make('allocPinned', dtype, length, true, !freedByOwner) as Buf;
}

/** collected: the buffer is reclaimed when it is collected (no scope frees it), so its heap block carries a ballast (kernels/wasm/heap.ts). */
function make(
  where: string,
  dtype: DType | 'i32',
  length: number,
  pinned: boolean,
  collected: boolean,
): Buf | Int32Array {
  if (!Number.isInteger(length) || length < 0) {
    throw new ArgumentError(where, 'length', 'a non-negative integer', length);
  }
  if (dtype !== 'f32' && dtype !== 'f64' && dtype !== 'i32')
    throw new ArgumentError(where, 'dtype', "'f32', 'f64' or 'i32'", dtype);
  allocations++;
  try {
    // On the wasm backend float32 buffers live in its heap (while it has room).
    if (dtype === 'f32')
      return (kernelBackend() === 'wasm' ? onHeap(length, pinned, collected) : null) ?? new Float32Array(length);
    return dtype === 'f64' ? new Float64Array(length) : new Int32Array(length);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new AllocationError(where, dtype, length);
  }
}

/** A size of memory in words: 17.4 GB, 3.2 MB, 512 bytes. */
export function formatBytes(bytes: number): string {
  const units: [number, string][] = [
    [1e12, 'TB'],
    [1e9, 'GB'],
    [1e6, 'MB'],
    [1e3, 'kB'],
  ];
  const [scale, unit] = units.find(([u]) => bytes >= u) ?? [1, 'bytes'];
  return `${(bytes / scale).toFixed(scale === 1 ? 0 : 1)} ${unit}`;
}

/** A buffer larger than the process can allocate: an ArgumentError that says how much memory it would take. */
export class AllocationError extends ArgumentError {
  /** The bytes asked for. */
  readonly bytes: number;

  constructor(where: string, dtype: DType | 'i32', length: number) {
    const bytes = length * (dtype === 'f64' ? 8 : 4);
    super(
      where,
      'length',
      'a buffer this process can allocate',
      `${length} ${dtype} values, ${formatBytes(bytes)} in one buffer`,
      true,
    );
    this.bytes = bytes;
  }
}

/** A float32 buffer in the wasm heap, or null when it has no room for it. */
function onHeap(length: number, pinned: boolean, collected: boolean): Float32Array | null {
  return wasmBackend().heap.f32(length, pinned, collected);
}

/** How many buffers `alloc` has made since the process started. */
export function allocationCount(): number {
  return allocations;
}

/** The dtype of a buffer made by `alloc`. */
export function dtypeOf(buf: Buf): DType {
  return buf instanceof Float64Array ? 'f64' : 'f32';
}
