// The WebAssembly backend's memory: one shared WebAssembly.Memory that float32 buffers live
// in, so that the SIMD kernels work on them in place.
//
// The memory is shared and declares a maximum, so growing it never detaches the views
// handed out before (a shared memory's buffer is a SharedArrayBuffer that stays valid; each
// grow gives a new SharedArrayBuffer object over the same, longer memory). A buffer's
// address in the memory is its view's byteOffset.
//
// Blocks come in power-of-two sizes from 16 bytes up, 16-byte aligned, each size with its own
// free list; a block is new memory from the top when its list is empty. A block returns to
// its list when the view it was handed out as is collected (a FinalizationRegistry; its
// callbacks run when the event loop turns, so a long synchronous loop reclaims nothing until
// it yields). When the memory is at its maximum, f32() returns null and the caller falls back.
import { ModuleBuilder } from './builder.js';

export const PAGE = 65536;
/** 2 GiB: room enough, and well inside what a 32-bit memory can address. */
export const MAX_PAGES = 32768;
const MIN_CLASS = 4;

export class WasmHeap {
  readonly memory: WebAssembly.Memory;
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private readonly free: number[][] = [];
  private top = 0;
  private readonly registry: FinalizationRegistry<{ at: number; cls: number }>;
  /** Bytes handed out and not yet reclaimed, and the most that ever were. */
  inUse = 0;
  peak = 0;

  constructor(initialPages = 16) {
    this.memory = new WebAssembly.Memory({ initial: initialPages, maximum: MAX_PAGES, shared: true });
    this.buffers.add(this.memory.buffer);
    this.registry = new FinalizationRegistry(({ at, cls }) => this.release(at, cls));
  }

  /** A module builder whose imported memory matches the heap's. */
  static module(): ModuleBuilder {
    return new ModuleBuilder({ initial: 1, maximum: MAX_PAGES, shared: true });
  }

  /** Validate and instantiate a module over this memory, and hand back its exports. */
  instantiate<Exports>(module: ModuleBuilder, what: string): Exports {
    const bytes = module.build();
    if (!WebAssembly.validate(bytes)) throw new Error(`wasm ${what}: the module built does not validate`);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: this.memory } });
    return instance.exports as Exports;
  }

  /** Whether a view lies in this memory (then its byteOffset is its address). */
  holds(view: ArrayBufferView): boolean {
    return this.buffers.has(view.buffer);
  }

  /** A zero-filled Float32Array of `length` in the memory, or null when the memory is full. */
  f32(length: number): Float32Array | null {
    const at = this.allocate(Math.max(1, length) * 4);
    if (at === null) return null;
    const view = new Float32Array(this.memory.buffer, at.at, length);
    view.fill(0);
    this.registry.register(view, at);
    return view;
  }

  /** A block of at least `bytes` (16-byte aligned) that is never reclaimed: kernels' scratch. */
  reserve(bytes: number): number | null {
    return this.allocate(bytes)?.at ?? null;
  }

  private allocate(bytes: number): { at: number; cls: number } | null {
    const cls = Math.max(MIN_CLASS, Math.ceil(Math.log2(bytes)));
    const size = 2 ** cls;
    const reused = this.free[cls]?.pop();
    let at: number;
    if (reused !== undefined) at = reused;
    else {
      if (this.top + size > this.memory.buffer.byteLength && !this.grow(this.top + size)) return null;
      at = this.top;
      this.top += size;
    }
    this.inUse += size;
    this.peak = Math.max(this.peak, this.inUse);
    return { at, cls };
  }

  private grow(bytes: number): boolean {
    const have = this.memory.buffer.byteLength / PAGE;
    const need = Math.ceil(bytes / PAGE);
    if (need > MAX_PAGES) return false;
    // Grow by at least half again, so that a growing workload grows the memory rarely.
    this.memory.grow(Math.min(MAX_PAGES, Math.max(need, Math.ceil(have * 1.5))) - have);
    this.buffers.add(this.memory.buffer);
    return true;
  }

  private release(at: number, cls: number): void {
    (this.free[cls] ??= []).push(at);
    this.inUse -= 2 ** cls;
  }
}
