// The WebAssembly backend's memory: one shared WebAssembly.Memory that float32 buffers live
// in, so that the SIMD kernels work on them in place.
//
// The memory is shared and declares a maximum, so growing it never detaches the views
// handed out before (a shared memory's buffer is a SharedArrayBuffer that stays valid; each
// grow gives a new SharedArrayBuffer object over the same, longer memory). A buffer's
// address in the memory is its view's byteOffset.
//
// Blocks come in power-of-two sizes from 16 bytes up, 16-byte aligned, each size with its own
// free list; a block is cut from a larger free one when its list is empty, and is new memory
// from the top when there is none. A block returns to
// its list when its owner frees it (free(view): core's allocation scopes free a training
// step's transients when the step ends), or else when the view it was handed out as is
// collected: a FinalizationRegistry, whose callbacks run when the event loop turns (so a
// loop that never yields reclaims nothing that way; scopes are what keep it flat).
//
// The engine's collector cannot see memory inside the heap: to it a view is a few bytes, so
// megabytes of garbage buffers would never prompt a collection. A view that only the
// collector will reclaim therefore carries a ballast, an ArrayBuffer a quarter of its
// block's size, which the engine counts as external memory and collects by. A view its owner
// frees (a scope's transients, a recurrent workspace's buffers) carries none: a ballast is
// memory too, and a freed one lingers until the next full collection (how the ballast's
// size was chosen, and what it cost: docs/performance.md, "Memory").
//
// A loop that never yields reclaims nothing, so transient buffers (an op's output, a
// gradient) may hold at most TRANSIENT_BYTES of the heap at once; past that f32() returns
// null for them and the caller makes an ordinary array, which the kernels copy in and out
// of the heap (slower; the results are the same). Pinned buffers (parameters, their
// gradients, optimizer state, the recurrent workspaces: few, large, reused) may use the
// memory up to an eighth of it (at most 256 MiB) short of the maximum; the rest is the
// kernels' scratch (packed panels, staging).
import { ModuleBuilder, Type } from './builder.js';

export const PAGE = 65536;
/** 2 GiB: room enough, and well inside what a 32-bit memory can address. */
export const MAX_PAGES = 32768;
const MIN_CLASS = 4;
/** Transient buffers stop being placed in the heap while this many bytes are in use. */
const TRANSIENT_BYTES = 512 * 2 ** 20;
/** At most this many bytes at the top of the memory are kept for the kernels' scratch. */
const KERNEL_ROOM = 256 * 2 ** 20;

export class WasmHeap {
  readonly memory: WebAssembly.Memory;
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private readonly freeLists: number[][] = [];
  private top = 0;
  private readonly registry: FinalizationRegistry<Block>;
  private readonly ballast = new WeakMap<Float32Array, ArrayBuffer>();
  /** The block each transient view was handed out as, for free(). */
  private readonly blocks = new WeakMap<Float32Array, Block>();
  /** zero(at, bytes): memory.fill, five times as fast here as a typed array's fill on shared memory. */
  private readonly zero: (at: number, bytes: number) => void;
  /** Bytes handed out and not yet reclaimed, and the most that ever were. */
  inUse = 0;
  peak = 0;

  /** Where buffers stop and only the kernels' scratch may go, in bytes. */
  private readonly bufferLimit: number;

  /** maxPages: the memory's maximum (MAX_PAGES; a spec makes a small heap to fill it). */
  constructor(
    initialPages = 16,
    readonly maxPages = MAX_PAGES,
  ) {
    this.memory = new WebAssembly.Memory({ initial: initialPages, maximum: maxPages, shared: true });
    this.bufferLimit = maxPages * PAGE - Math.min(KERNEL_ROOM, (maxPages * PAGE) / 8);
    this.buffers.add(this.memory.buffer);
    this.registry = new FinalizationRegistry((block) => this.release(block));
    const zeroing = WasmHeap.module().function('zero', [Type.i32, Type.i32], [], (f, at, bytes) =>
      f.localGet(at).i32Const(0).localGet(bytes).memoryFill(),
    );
    this.zero = this.instantiate<{ zero: (at: number, bytes: number) => void }>(zeroing, 'heap').zero;
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

  private whole: Float32Array | null = null;

  /** A Float32Array over the whole memory as it is now: element q is at address 4q. */
  all(): Float32Array {
    if (this.whole === null || this.whole.buffer !== this.memory.buffer) {
      this.whole = new Float32Array(this.memory.buffer);
      this.buffers.add(this.whole.buffer);
    }
    return this.whole;
  }

  /**
   * Whether a view lies in this memory (then its byteOffset is its address). The memory's
   * SharedArrayBuffer object is not always the same one: a grow makes a new one, and the
   * engine may make another once the last is collected, so each is remembered when met.
   */
  holds(view: ArrayBufferView): boolean {
    if (this.buffers.has(view.buffer)) return true;
    if (view.buffer !== this.memory.buffer) return false;
    this.buffers.add(view.buffer);
    return true;
  }

  /**
   * A zero-filled Float32Array of `length` in the memory, or null when there is no room: for
   * a transient buffer, while TRANSIENT_BYTES are in use; for a pinned one, when the memory is
   * full. `collected`: only the collector will reclaim it (no owner frees it), so it carries a
   * ballast that makes the collector see its size.
   */
  f32(length: number, pinned = false, collected = true): Float32Array | null {
    const bytes = Math.max(1, length) * 4;
    if (!pinned && this.inUse + bytes > Math.min(TRANSIENT_BYTES, this.bufferLimit / 2)) return null;
    const at = this.allocate(bytes, this.bufferLimit);
    if (at === null) return null;
    const view = new Float32Array(this.memory.buffer, at.at, length);
    this.buffers.add(view.buffer);
    this.zero(at.at, 4 * length);
    this.registry.register(view, at, at);
    this.blocks.set(view, at);
    if (collected) this.ballast.set(view, new ArrayBuffer(2 ** at.cls / 4));
    return view;
  }

  /**
   * Hand a view's block back now, not when the view is collected. The caller promises that
   * nothing reads or writes the view again: its memory goes to the next buffer of its size.
   * A view this heap did not hand out, or one freed already, is left alone.
   */
  free(view: Float32Array): void {
    const block = this.blocks.get(view);
    if (block === undefined) return;
    this.blocks.delete(view);
    this.ballast.delete(view);
    this.registry.unregister(block);
    this.release(block);
  }

  /** A block of at least `bytes` (16-byte aligned) that no collector reclaims: kernels' scratch (see Room). */
  reserve(bytes: number): number | null {
    return this.allocate(bytes, this.maxPages * PAGE)?.at ?? null;
  }

  /** Hand back a block reserve(bytes) gave at `at`. */
  unreserve(at: number, bytes: number): void {
    this.release({ at, cls: sizeClass(bytes), released: false });
  }

  /** A block of at least `bytes`, reused or new below `limit`, or null. */
  private allocate(bytes: number, limit: number): Block | null {
    const cls = sizeClass(bytes);
    const size = 2 ** cls;
    const reused = this.freeLists[cls]?.pop() ?? this.split(cls);
    let at: number;
    if (reused !== undefined) at = reused;
    else {
      if (this.top + size > limit) return null;
      if (this.top + size > this.memory.buffer.byteLength && !this.grow(this.top + size)) return null;
      at = this.top;
      this.top += size;
    }
    this.inUse += size;
    this.peak = Math.max(this.peak, this.inUse);
    return { at, cls, released: false };
  }

  /**
   * A block of class `cls` cut from the smallest free block of a larger class, whose other
   * parts go to the lists of their sizes (halves, quarters, …: a buddy split), so that memory
   * freed in one size serves another before the heap grows. Undefined when there is none.
   */
  private split(cls: number): number | undefined {
    for (let c = cls + 1; c < this.freeLists.length; c++) {
      const at = this.freeLists[c]?.pop();
      if (at === undefined) continue;
      for (let k = cls; k < c; k++) (this.freeLists[k] ??= []).push(at + 2 ** k);
      return at;
    }
    return undefined;
  }

  private grow(bytes: number): boolean {
    const have = this.memory.buffer.byteLength / PAGE;
    const need = Math.ceil(bytes / PAGE);
    if (need > this.maxPages) return false;
    // Grow by at least half again, so that a growing workload grows the memory rarely.
    this.memory.grow(Math.min(this.maxPages, Math.max(need, Math.ceil(have * 1.5))) - have);
    this.buffers.add(this.memory.buffer);
    return true;
  }

  private release(block: Block): void {
    if (block.released) return;
    block.released = true;
    (this.freeLists[block.cls] ??= []).push(block.at);
    this.inUse -= 2 ** block.cls;
  }
}

/**
 * Scratch room a kernel uses call after call (packed panels, staged copies, per-row
 * statistics). When a call needs more than it has, the old block goes back to the heap and a
 * larger one is reserved, so a run holds one block per room, the size of its largest call.
 */
export class Room {
  private at = -1;
  private bytes = 0;

  constructor(private readonly heap: WasmHeap) {}

  /** The address of at least `bytes` of room, or −1 when the heap has none (the room is then empty). */
  fit(bytes: number): number {
    if (this.bytes >= bytes) return this.at;
    if (this.bytes > 0) this.heap.unreserve(this.at, this.bytes);
    const at = this.heap.reserve(bytes);
    this.at = at ?? -1;
    this.bytes = at === null ? 0 : bytes;
    return this.at;
  }
}

/** The size class of a block of at least `bytes`: 2^class bytes, 16 at least. */
function sizeClass(bytes: number): number {
  return Math.max(MIN_CLASS, Math.ceil(Math.log2(bytes)));
}

/** A block of the heap: its address and size class (2^cls bytes), and whether it went back to its list. */
interface Block {
  at: number;
  cls: number;
  released: boolean;
}
