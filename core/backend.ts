// The kernel backend for float32: 'wasm' (WebAssembly SIMD128 kernels over one shared
// memory), the default wherever the runtime has SIMD and shared memory, or 'js' (the
// TypeScript kernels, the oracle of every wasm kernel). Nothing is chosen when a module is
// imported: a program chooses once, at start-up, with setBackend (or setBackendByVariable,
// as the CLI does with RNNLAB_BACKEND, and --backend), before it makes its first buffer; a
// program that does not choose gets the default when float32 work first needs a backend.
// Where wasm is missing (a browser page that is not cross-origin isolated, say) the default
// is js, and the library says so once. Float64 always runs on the TypeScript kernels.
//
// With 'wasm', every float32 buffer alloc makes lives in the wasm heap, so the kernels work
// on it in place. A buffer made before a switch to wasm is copied in and out by the GEMM,
// and the other kernels run in TypeScript on it. Whichever backend runs, results agree with
// the TypeScript kernels to float32 rounding; every wasm kernel is checked against its twin.
import { kernelBackend, setKernelBackend, wasmSupport, type BackendName } from '../kernels/backend/choice.js';
import { ArgumentError } from './errors.js';

export type { BackendName };
export const backendNames: readonly BackendName[] = ['js', 'wasm'];

/** Run float32 work on these kernels from now on. 'wasm' where it is not supported is an error that says why. */
export function setBackend(name: BackendName): void {
  if (!backendNames.includes(name))
    throw new ArgumentError('setBackend', 'name', `one of ${backendNames.join(', ')}`, name);
  setKernelBackend(name);
}

/** The backend float32 work runs on. */
export function getBackend(): BackendName {
  return kernelBackend();
}

/** Whether the wasm backend can run here, and if not, why. */
export function wasmAvailable(): { ok: boolean; why: string } {
  return wasmSupport();
}

/**
 * The backend an environment variable names ('' or undefined: keep the default), for a
 * program's start-up: the CLI calls it with RNNLAB_BACKEND. A name that is not a backend is
 * an ArgumentError that names the variable (the library itself reads no environment).
 */
export function setBackendByVariable(variable: string, value: string | undefined): void {
  if (value === undefined || value === '') return;
  if (!backendNames.includes(value as BackendName))
    throw new ArgumentError(variable, 'the variable', `one of ${backendNames.join(', ')} (lower case)`, value);
  setBackend(value as BackendName);
}
