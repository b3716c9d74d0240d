// Which kernels run a recurrent pass's steps: the wasm twins when the backend is wasm and
// every buffer the steps touch lives in its heap, the TypeScript kernels otherwise (float64,
// the js backend, or float32 buffers made before a switch to wasm). Chosen once per pass.
import { onWasm, wasmModule } from './backend.js';
import { lstmStepBackward, lstmStepForward, type LstmBuffers, type LstmGradBuffers, type LstmLayout } from './lstmCell.js';
import type { IndexBuf } from './types.js';
import { lstmRowKernels, lstmSwitches, WasmLstmStep } from './wasm/lstmStep.js';

export interface LstmStepKernels {
  forward(b: LstmBuffers, s: number, rows: number, lengths: IndexBuf): void;
  backward(b: LstmBuffers, d: LstmGradBuffers, s: number, rows: number, lengths: IndexBuf): void;
}

/** The LSTM step kernels for a pass over these buffers (and, for backward, these gradient buffers). */
export function lstmStepKernels(L: LstmLayout, b: LstmBuffers, gateRecurrence: boolean, d: LstmGradBuffers | null, more: readonly ArrayBufferView[] = []): LstmStepKernels {
  const { pre, bias, act, cs, tcs, hs, pI, pF, pO } = b;
  const grads = d === null ? [] : [d.dPre, d.dh, d.dc, d.dGateRecurrent, d.dpI, d.dpF, d.dpO];
  if (onWasm([pre, bias, act, cs, tcs, hs, pI, pF, pO, ...grads, ...more])) {
    const sw = lstmSwitches(L, b, gateRecurrence);
    return new WasmLstmStep(L, wasmModule(`lstm ${JSON.stringify(sw)}`, (heap) => lstmRowKernels(heap, sw)));
  }
  return {
    forward: (bb, s, rows, lengths) => lstmStepForward(bb, L, s, rows, lengths),
    backward: (bb, dd, s, rows, lengths) => lstmStepBackward(bb, dd, L, s, rows, lengths),
  };
}
