// Which kernels run a recurrent pass's steps: the wasm twins when the backend is wasm and
// every buffer the steps touch lives in its heap, the TypeScript kernels otherwise (float64,
// the js backend, or float32 buffers made before a switch to wasm). Chosen once per pass,
// each with the TypeScript kernels' arguments.
import { onWasm, wasmModule } from './choice.js';
import * as gru from '../js/gruStep.js';
import {
  lstmStepBackward,
  lstmStepForward,
  type LstmBuffers,
  type LstmGradBuffers,
  type LstmLayout,
} from '../js/lstmStep.js';
import { rnnStepBackward, rnnStepForward, type RnnNonlinearity } from '../js/rnnStep.js';
import type { Buf, IndexBuf } from '../js/types.js';
import { gruRowKernels, WasmGruStep } from '../wasm/gruStep.js';
import { lstmRowKernels, lstmSwitches, WasmLstmStep } from '../wasm/lstmStep.js';
import { rnnRowKernels, WasmRnnStep } from '../wasm/rnnStep.js';

export interface LstmStepKernels {
  forward(b: LstmBuffers, s: number, rows: number, lengths: IndexBuf): void;
  backward(b: LstmBuffers, d: LstmGradBuffers, s: number, rows: number, lengths: IndexBuf): void;
}

/** The LSTM step kernels for a pass over these buffers (and, for backward, these gradient buffers and `more`). */
export function lstmStepKernels(
  L: LstmLayout,
  b: LstmBuffers,
  gateRecurrence: boolean,
  d: LstmGradBuffers | null,
  more: readonly Buf[] = [],
): LstmStepKernels {
  const { pre, bias, act, cs, tcs, hs, pI, pF, pO } = b;
  const grads = d === null ? [] : [d.dPre, d.dh, d.dc, d.dGateRecurrent, d.dpI, d.dpF, d.dpO];
  if (onWasm([pre, bias, act, cs, tcs, hs, pI, pF, pO, ...grads, ...more])) {
    const sw = lstmSwitches(L, b, gateRecurrence);
    return new WasmLstmStep(
      L,
      wasmModule(`lstm ${JSON.stringify(sw)}`, (heap) => lstmRowKernels(heap, sw)),
    );
  }
  return {
    forward: (bb, s, rows, lengths) => lstmStepForward(bb, L, s, rows, lengths),
    backward: (bb, dd, s, rows, lengths) => lstmStepBackward(bb, dd, L, s, rows, lengths),
  };
}

export interface GruStepKernels {
  forward(b: gru.GruBuffers, H: number, s: number, rows: number, lengths: IndexBuf): void;
  backward(b: gru.GruBuffers, d: gru.GruGradBuffers, H: number, s: number, rows: number, lengths: IndexBuf): void;
  beforeGatesForward(b: gru.GruBuffers, H: number, s: number, rows: number, lengths: IndexBuf): void;
  beforeOutputForward(b: gru.GruBuffers, H: number, s: number, rows: number, lengths: IndexBuf): void;
  beforeOutputBackward(
    b: gru.GruBuffers,
    d: gru.GruGradBuffers,
    H: number,
    s: number,
    rows: number,
    lengths: IndexBuf,
  ): void;
  beforeGatesBackward(
    b: gru.GruBuffers,
    d: gru.GruGradBuffers,
    H: number,
    s: number,
    rows: number,
    lengths: IndexBuf,
  ): void;
}

/** The TypeScript GRU step kernels for one convention of z (zSign 1: z keeps, −1: z writes). */
function gruTypeScript(zSign: 1 | -1): GruStepKernels {
  return {
    forward: (b, H, s, rows, lengths) => gru.gruStepForward(b, H, s, rows, lengths, zSign),
    backward: (b, d, H, s, rows, lengths) => gru.gruStepBackward(b, d, H, s, rows, lengths, zSign),
    beforeGatesForward: (b, H, s, rows, lengths) => gru.gruBeforeGatesForward(b, H, s, rows, lengths, zSign),
    beforeOutputForward: gru.gruBeforeOutputForward,
    beforeOutputBackward: gru.gruBeforeOutputBackward,
    beforeGatesBackward: (b, d, H, s, rows, lengths) => gru.gruBeforeGatesBackward(b, d, H, s, rows, lengths, zSign),
  };
}

/** The GRU step kernels for a pass over these buffers (both forms, either convention of z; backward adds its gradient buffers and `more`). */
export function gruStepKernels(
  zWrites: boolean,
  b: gru.GruBuffers,
  d: gru.GruGradBuffers | null,
  more: readonly Buf[] = [],
): GruStepKernels {
  const grads = d === null ? [] : [d.dXp, d.dHp, d.dh, d.dhPrev, d.dRh];
  if (onWasm([b.xp, b.hp, b.act, b.rh, b.hs, ...grads, ...more])) {
    return new WasmGruStep(
      wasmModule(`gru ${zWrites ? 'z writes' : 'z keeps'}`, (heap) => gruRowKernels(heap, zWrites)),
    );
  }
  return gruTypeScript(zWrites ? -1 : 1);
}

export interface RnnStepKernels {
  forward(pre: Buf, hs: Buf, H: number, s: number, rows: number, lengths: IndexBuf): void;
  backward(dPre: Buf, hs: Buf, dHs: Buf, H: number, s: number, rows: number, lengths: IndexBuf): void;
}

/** The Elman step kernels for a pass over these buffers. */
export function rnnStepKernels(act: RnnNonlinearity, buffers: readonly Buf[]): RnnStepKernels {
  if (onWasm(buffers)) return new WasmRnnStep(wasmModule(`rnn ${act}`, (heap) => rnnRowKernels(heap, act)));
  return {
    forward: (pre, hs, H, s, rows, lengths) => rnnStepForward(pre, hs, act, H, s, rows, lengths),
    backward: (dPre, hs, dHs, H, s, rows, lengths) => rnnStepBackward(dPre, hs, dHs, act, H, s, rows, lengths),
  };
}
