// The kernel backend for float32: 'js' (the TypeScript kernels) or 'wasm' (WebAssembly
// SIMD128 kernels over one shared memory). Chosen before the first buffer is made: with
// setBackend, or the RNNLAB_BACKEND environment variable ('js', 'wasm'), or the CLI's
// --backend. Float64 always runs on the TypeScript kernels.
//
// With 'wasm', every float32 buffer alloc makes lives in the wasm heap, so the kernels work
// on it in place; a buffer made before the switch is copied in and out by each kernel
// instead. Whichever backend runs, results agree with the TypeScript kernels to float32
// rounding; every wasm kernel is checked against its TypeScript twin.
import { kernelBackend, setKernelBackend, wasmSupport, type BackendName } from '../kernels/backend.js';
import { ArgumentError } from './errors.js';

export type { BackendName };
export const backendNames: readonly BackendName[] = ['js', 'wasm'];

/** Run float32 work on these kernels from now on. 'wasm' where it is not supported is an error that says why. */
export function setBackend(name: BackendName): void {
  if (!backendNames.includes(name)) throw new ArgumentError('setBackend', 'name', `one of ${backendNames.join(', ')}`, name);
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

const fromEnvironment = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.RNNLAB_BACKEND;
if (fromEnvironment !== undefined && fromEnvironment !== '') {
  if (!backendNames.includes(fromEnvironment as BackendName)) {
    throw new ArgumentError('RNNLAB_BACKEND', 'the variable', `one of ${backendNames.join(', ')}`, fromEnvironment);
  }
  setBackend(fromEnvironment as BackendName);
}
