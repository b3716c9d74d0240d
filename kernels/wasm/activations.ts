// The activation functions over arrays, in WebAssembly SIMD128: twins of ../js/activations.ts.
//
//   sigmoid(y, x, n):  y[q] = 1 / (1 + e^(−x[q]))     x, y: float32 [n] at byte addresses
//   tanh(y, x, n):     y[q] = tanh(x[q])
//
// Four lanes at a time (lanes.ts), with exp, sigmoid and tanh from math.ts; y may be x.
import { Type, type FunctionBuilder, type Local } from './builder.js';
import { WasmHeap } from './heap.js';
import { laneLoop } from './lanes.js';
import { emitSigmoid, emitTanh, MathScratch } from './math.js';

export interface ActivationKernels {
  sigmoid(y: number, x: number, n: number): void;
  tanh(y: number, x: number, n: number): void;
}

function emitMap(f: FunctionBuilder, [y, x, n]: Local[], emit: typeof emitSigmoid): void {
  const s = new MathScratch(f),
    v = f.local(Type.v128);
  laneLoop(f, n, (io) => {
    io.load(x);
    f.localSet(v);
    emit(f, s, v, v);
    io.store(y, v);
  });
}

/** Build, validate and instantiate the activation kernels over the heap's memory. */
export function activationKernels(heap: WasmHeap): ActivationKernels {
  const I = Type.i32;
  const module = WasmHeap.module()
    .function('sigmoid', [I, I, I], [], (f, ...args) => emitMap(f, args, emitSigmoid))
    .function('tanh', [I, I, I], [], (f, ...args) => emitMap(f, args, emitTanh));
  return heap.instantiate<ActivationKernels>(module, 'activations');
}
