// Allocation scopes: the transients of a piece of work (a training step, an evaluation) freed
// when the work ends, not when the garbage collector gets round to it.
//
// While a scope is open, the buffers made for tensors (op outputs, Tensor.from and zeros,
// gradients, the temporaries an op saves for its backward: allocScoped's) are recorded in it.
// When it closes, every one of them is freed (on the wasm backend its block goes back to the
// heap at once) except those of the tensors it returns, which move to the enclosing scope (or,
// at the outermost, to the garbage collector). A tensor whose buffer was freed is released:
// reading its data is an error that says so, never a read of memory reused by another tensor.
// So a loop that never yields stays flat, on every backend.
//
//   const loss = withScope(() => model.loss(null, batch).item());   // every tensor of the pass freed
//
// Trainer.step runs each step in a scope; the runs' evaluations and the models' sampling and
// decoding run in scopes too. A tensor that must outlive its scope (a state carried to the next
// step) is returned from it, or kept with keep(); dispose() frees one before its scope ends.
// Only buffers made for tensors are scoped: a raw buffer from alloc() is the caller's, and
// lives until it is collected.
import type { Buf } from '../kernels/js/types.js';
import { wasmHeapIfMade } from '../kernels/backend/choice.js';
import { ArgumentError } from './errors.js';

/** What a scope needs of a tensor: its buffers, and a way to release it. */
export interface ScopedTensor {
  readonly dataIfAny: Buf | null;
  grad: Buf | null;
  release(why: string): void;
}

interface Scope {
  buffers: Buf[];
  tensors: ScopedTensor[];
  /** Tensors (made anywhere) whose gradient buffer was made in this scope. */
  gradOwners: ScopedTensor[];
  kept: ScopedTensor[];
}

const open: Scope[] = [];
/** Every buffer made by allocScoped, so that dispose frees only what a scope could have. */
const scopedBuffers = new WeakSet<Buf>();

/** Record a buffer just made for a tensor in the innermost open scope. */
export function trackBuffer(buf: Buf): void {
  scopedBuffers.add(buf);
  open.at(-1)?.buffers.push(buf);
}

/** Record a tensor just made, so that it is released if its buffer is freed. */
export function trackTensor(t: ScopedTensor): void {
  open.at(-1)?.tensors.push(t);
}

/** Record a tensor whose gradient buffer was just made. */
export function trackGrad(t: ScopedTensor): void {
  open.at(-1)?.gradOwners.push(t);
}

/** Whether a scope is open (a training step, an evaluation, or the caller's withScope). */
export function inScope(): boolean {
  return open.length > 0;
}

/**
 * Run `fn` in a new scope: every tensor buffer made while it runs is freed when it returns,
 * except those of the tensors in its result (a tensor, or arrays and plain objects of them).
 * If it throws, everything it made is freed. `fn` must not be async: a scope closes when `fn`
 * returns, not when a promise settles.
 */
export function withScope<T>(fn: () => T): T {
  const scope: Scope = { buffers: [], tensors: [], gradOwners: [], kept: [] };
  open.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (err) {
    close(scope, []);
    throw err;
  }
  if (result instanceof Promise) {
    close(scope, []);
    throw new ArgumentError(
      'withScope',
      'fn',
      'a function that returns when its work is done (not async)',
      'a function that returned a Promise',
      true,
    );
  }
  close(scope, tensorsIn(result));
  return result;
}

/** Keep the tensors in `value` past the innermost scope (they move to the one around it). Returns `value`. */
export function keep<T>(value: T): T {
  open.at(-1)?.kept.push(...tensorsIn(value));
  return value;
}

/**
 * Free the buffers of the tensors in `value` now, and release the tensors: for a tensor kept
 * past its scope (a carried state) once it is replaced. Only buffers made for tensors are
 * freed; a tensor over memory of its own (a parameter, a caller's array) is left as it is.
 */
export function dispose(value: unknown): void {
  for (const t of tensorsIn(value)) {
    const data = t.dataIfAny;
    if (data !== null && scopedBuffers.has(data)) {
      freeBuffer(data);
      if (t.grad !== null && scopedBuffers.has(t.grad)) freeBuffer(t.grad);
      t.release('it was disposed');
    }
  }
}

/**
 * A value carried from one piece of work to the next (a recurrent state from chunk to chunk):
 * `next` is kept past the innermost scope and `previous`, which it replaces, is disposed.
 * Returns `next` (null to drop the carried value: `state = carry(state, null)`).
 */
export function carry<T>(previous: unknown, next: T): T {
  keep(next);
  if (previous !== null && previous !== undefined) dispose(previous);
  return next;
}

function close(scope: Scope, returned: ScopedTensor[]): void {
  open.splice(open.lastIndexOf(scope), 1);
  const parent = open.at(-1);
  const kept = [...returned, ...scope.kept];
  const keptViews = kept.flatMap((t) => [t.dataIfAny, t.grad]).filter((b): b is Buf => b !== null);
  const freed = new Set<Buf>();
  for (const buf of scope.buffers) {
    if (keptViews.some((v) => within(v, buf))) parent?.buffers.push(buf);
    else {
      freed.add(buf);
      freeBuffer(buf);
    }
  }
  if (freed.size === 0) return;
  const freedList = [...freed];
  const isFreed = (b: Buf | null) => b !== null && (freed.has(b) || freedList.some((f) => within(b, f)));
  const keptSet = new Set(kept);
  for (const t of scope.tensors) {
    if (keptSet.has(t)) parent?.tensors.push(t);
    else if (isFreed(t.dataIfAny))
      t.release('the scope it was made in ended (a training step or an evaluation frees its tensors when it ends)');
  }
  for (const t of scope.gradOwners) {
    if (t.dataIfAny !== null && isFreed(t.grad)) t.grad = null;
    else if (t.grad !== null && !isFreed(t.grad)) parent?.gradOwners.push(t);
  }
}

/** Whether view lies inside buf (the same memory). */
function within(view: Buf, buf: Buf): boolean {
  return (
    view === buf ||
    (view.buffer === buf.buffer &&
      view.byteOffset >= buf.byteOffset &&
      view.byteOffset + view.byteLength <= buf.byteOffset + buf.byteLength)
  );
}

/**
 * Ordinary arrays freed by scopes, by dtype and length, for allocScoped to hand out again: so
 * that a loop on the js backend (or float64) reuses its buffers as the wasm heap does, rather
 * than leaving the collector and the allocator to settle. At most POOL_BYTES are held.
 */
const pool = new Map<string, Buf[]>();
const pooled = new WeakSet<Buf>();
const POOL_BYTES = 64 * 2 ** 20;
let pooledBytes = 0;

/** A freed ordinary array of this dtype and length, zero-filled, or null. */
export function reuseBuffer(dtype: 'f32' | 'f64', length: number): Buf | null {
  const buf = pool.get(`${dtype} ${length}`)?.pop();
  if (buf === undefined) return null;
  pooled.delete(buf);
  pooledBytes -= buf.byteLength;
  return buf.fill(0);
}

/**
 * Hand a buffer's memory back now: on the wasm heap its block returns to the heap; an ordinary
 * array a scope made goes to the pool (while it has room). The caller promises that nothing
 * uses it again.
 */
export function freeBuffer(buf: Buf): void {
  const heap = wasmHeapIfMade();
  if (buf instanceof Float32Array && heap !== null && heap.holds(buf)) return heap.free(buf);
  if (
    !scopedBuffers.has(buf) ||
    buf.byteOffset !== 0 ||
    buf.byteLength !== buf.buffer.byteLength ||
    pooledBytes + buf.byteLength > POOL_BYTES
  )
    return;
  const key = `${buf instanceof Float64Array ? 'f64' : 'f32'} ${buf.length}`;
  if (pooled.has(buf)) return;
  const list = pool.get(key) ?? [];
  list.push(buf);
  pool.set(key, list);
  pooled.add(buf);
  pooledBytes += buf.byteLength;
}

/** The tensors in a value: itself, or the members of arrays and plain objects, a few levels down. */
function tensorsIn(value: unknown, depth = 0, found: ScopedTensor[] = []): ScopedTensor[] {
  if (value === null || typeof value !== 'object' || depth > 4) return found;
  if (isScopedTensor(value)) found.push(value);
  else if (Array.isArray(value)) for (const v of value) tensorsIn(v, depth + 1, found);
  else if (Object.getPrototypeOf(value) === Object.prototype)
    for (const v of Object.values(value)) tensorsIn(v, depth + 1, found);
  return found;
}

function isScopedTensor(value: object): value is ScopedTensor {
  return typeof (value as ScopedTensor).release === 'function' && 'dataIfAny' in value;
}
