// Which kernels run float32 work: the TypeScript kernels ('js', the oracle and the float64
// path, always there) or the WebAssembly SIMD128 kernels ('wasm'), which need SIMD and a
// shared WebAssembly.Memory (in a browser, a cross-origin-isolated page).
//
// The backend is chosen once per process, at start-up (setBackend in core; the CLI's
// RNNLAB_BACKEND and --backend), or else is the default on first need. Float64 always runs on the TypeScript kernels. A float32 buffer that
// does not live in the wasm heap (made before the switch, say) is copied in for a kernel
// and back out, so results never depend on where a buffer happens to live.
import { WasmGemm } from '../wasm/gemm.js';
import { Room, WasmHeap } from '../wasm/heap.js';

export type BackendName = 'js' | 'wasm';

/** The wasm backend's parts, made on first use. */
export interface WasmBackend {
  heap: WasmHeap;
  gemm: WasmGemm;
  /** Room to copy non-resident operands into, grown as needed. */
  staging: Room;
  /** Kernel modules specialised for a layout, built on first use, by key. */
  modules: Map<string, unknown>;
}

/** The backend chosen, or null until one is chosen or first needed (then the default). */
let current: BackendName | null = null;
let wasm: WasmBackend | null = null;
let support: { ok: boolean; why: string } | null = null;

/** Whether this runtime can run the wasm backend: SIMD128 and shared memory, and why not. */
export function wasmSupport(): { ok: boolean; why: string } {
  if (support !== null) return support;
  try {
    // The smallest module that uses a v128 value: (func (result v128) v128.const 0).
    const simd = Uint8Array.of(
      0,
      97,
      115,
      109,
      1,
      0,
      0,
      0,
      1,
      5,
      1,
      96,
      0,
      1,
      123,
      3,
      2,
      1,
      0,
      10,
      22,
      1,
      20,
      0,
      253,
      12,
      ...new Array(16).fill(0),
      11,
    );
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(simd))
      support = { ok: false, why: 'WebAssembly SIMD128 is not available' };
    else if (typeof SharedArrayBuffer !== 'function')
      support = { ok: false, why: 'shared memory is not available (a browser page must be cross-origin isolated)' };
    else {
      new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
      support = { ok: true, why: '' };
    }
  } catch (err) {
    support = { ok: false, why: `WebAssembly failed: ${(err as Error).message}` };
  }
  return support;
}

/** Use these kernels for float32 from now on. 'wasm' where it is not supported is an error naming why. */
export function setKernelBackend(name: BackendName): void {
  if (name === 'wasm') {
    const s = wasmSupport();
    if (!s.ok) throw new Error(`backend 'wasm' is not available here: ${s.why}`);
    wasmBackend();
  }
  current = name;
}

/** The backend float32 work runs on: the one chosen, else the default, settled on first need (wasm where supported, else js, said once). */
export function kernelBackend(): BackendName {
  return (current ??= defaultBackend());
}

function defaultBackend(): BackendName {
  const s = wasmSupport();
  if (s.ok) return 'wasm';
  console.warn(`rnnlab: the wasm backend is not available here (${s.why}); float32 runs on the TypeScript kernels.`);
  return 'js';
}

/** The wasm backend's parts (made, with its memory and modules, on the first call). */
export function wasmBackend(): WasmBackend {
  if (wasm === null) {
    const heap = new WasmHeap();
    wasm = { heap, gemm: new WasmGemm(heap), staging: new Room(heap), modules: new Map() };
  }
  return wasm;
}

/** The wasm heap, if the wasm backend was ever used (else null: nothing lives in a heap). */
export function wasmHeapIfMade(): WasmHeap | null {
  return wasm?.heap ?? null;
}

/** The kernels built for `key` (by `build`, over the heap, on first use). */
export function wasmModule<K>(key: string, build: (heap: WasmHeap) => K): K {
  const { heap, modules } = wasmBackend();
  if (!modules.has(key)) modules.set(key, build(heap));
  return modules.get(key) as K;
}

/** Whether float32 work on these buffers runs on the wasm kernels: the backend is wasm and every one lives in its heap. */
export function onWasm(buffers: readonly (ArrayBufferView | null)[]): boolean {
  if (current !== 'wasm') return false;
  const { heap } = wasmBackend();
  return buffers.every((b) => b === null || (b instanceof Float32Array && heap.holds(b)));
}
