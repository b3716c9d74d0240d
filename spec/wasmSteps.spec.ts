// Each wasm step kernel against its TypeScript twin (the oracle) on the same inputs: every
// layout, sizes with and without a tail of lanes, a row past its sequence's length, forward
// and backward. The twins differ only by rounding (float32 against float64 inside a step).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lstmStepBackward, lstmStepForward, type LstmBuffers, type LstmGradBuffers, type LstmLayout } from '../kernels/lstmCell.js';
import { lstmStepKernels } from '../kernels/stepKernels.js';
import { WasmLstmStep } from '../kernels/wasm/lstmStep.js';
import { alloc, getBackend, Rng, setBackend } from '../index.js';
import { relToMax } from './helpers.js';

/** Run `body` on the wasm backend, then put the backend back. */
function onWasmBackend(body: () => void): void {
  const before = getBackend();
  setBackend('wasm');
  try {
    body();
  } finally {
    setBackend(before);
  }
}

/** Two identical sets of buffers (every named size filled at random from one seed). */
function twins<K extends string>(sizes: Record<K, number>, seed: number): [Record<K, Float32Array>, Record<K, Float32Array>] {
  const make = () => {
    const rng = new Rng(seed);
    const out = {} as Record<K, Float32Array>;
    for (const [name, n] of Object.entries(sizes) as [K, number][]) {
      out[name] = alloc('f32', n);
      rng.fillUniform(out[name], -2, 2);
    }
    return out;
  };
  return [make(), make()];
}

/** Every buffer of the wasm run within `tolerance` of the TypeScript run (relative to its largest value). */
function assertClose<K extends string>(what: string, ts: Record<K, Float32Array>, wasm: Record<K, Float32Array>, tolerance: number): number {
  let worst = 0;
  for (const name of Object.keys(ts) as K[]) {
    const r = relToMax(wasm[name], ts[name]);
    assert.ok(r <= tolerance, `${what}: ${name} differs by ${r} relative to its largest value`);
    worst = Math.max(worst, r);
  }
  return worst;
}

const lstmVariants: Record<string, { gates: string; coupled?: boolean; peephole?: boolean; niaf?: boolean; noaf?: boolean; fgr?: boolean; noBias?: boolean }> = {
  vanilla: { gates: 'figo' },
  peephole: { gates: 'figo', peephole: true },
  cifg: { gates: 'fgo', coupled: true },
  'cifg peephole': { gates: 'fgo', coupled: true, peephole: true },
  nfg: { gates: 'igo' },
  nig: { gates: 'fgo' },
  nog: { gates: 'fig' },
  niaf: { gates: 'figo', niaf: true },
  noaf: { gates: 'figo', noaf: true },
  fgr: { gates: 'figo', fgr: true },
  'no bias': { gates: 'figo', noBias: true },
};

test('the wasm LSTM step equals the TypeScript step to float32 rounding: every variant, H with and without a tail, a padded row', () => {
  onWasmBackend(() => {
    let worst = 0;
    for (const [name, v] of Object.entries(lstmVariants)) for (const H of [1, 4, 7, 13]) {
      const offsets = { f: -1, i: -1, g: -1, o: -1 };
      let width = 0;
      for (const gate of ['f', 'i', 'g', 'o'] as const) if (v.gates.includes(gate)) { offsets[gate] = width; width += H; }
      const L: LstmLayout = {
        hiddenSize: H, width, ...offsets, coupled: v.coupled === true, peephole: v.peephole === true,
        inputActivation: v.niaf !== true, outputActivation: v.noaf !== true,
      };
      const T = 2, B = 3, lengths = Int32Array.of(2, 1, 2);
      const peep = (gate: string) => (v.peephole && v.gates.includes(gate) ? H : 0);
      const sizes = {
        pre: T * B * width, bias: width, act: T * B * 4 * H, cs: (T + 1) * B * H, tcs: T * B * H, hs: (T + 1) * B * H,
        pI: peep('i'), pF: peep('f'), pO: peep('o'), dPre: T * B * width, dh: B * H, dc: B * H, dRec: B * 4 * H, dpI: peep('i'), dpF: peep('f'), dpO: peep('o'),
      };
      const [ts, wasm] = twins(sizes, H * 31 + name.length);
      const views = (x: typeof ts): { b: LstmBuffers; d: LstmGradBuffers } => ({
        b: { pre: x.pre, bias: v.noBias ? null : x.bias, act: x.act, cs: x.cs, tcs: x.tcs, hs: x.hs, pI: x.pI.length ? x.pI : null, pF: x.pF.length ? x.pF : null, pO: x.pO.length ? x.pO : null },
        d: { dPre: x.dPre, dh: x.dh, dc: x.dc, dGateRecurrent: v.fgr ? x.dRec : null, dpI: x.pI.length ? x.dpI : null, dpF: x.pF.length ? x.dpF : null, dpO: x.pO.length ? x.dpO : null },
      });
      const t = views(ts), w = views(wasm);
      const kernels = lstmStepKernels(L, w.b, v.fgr === true, w.d);
      assert.ok(kernels instanceof WasmLstmStep, 'the buffers live in the heap, so the wasm kernel runs');
      for (let s = 0; s < T; s++) {
        lstmStepForward(t.b, L, s, B, lengths);
        kernels.forward(w.b, s, B, lengths);
      }
      for (let s = T - 1; s >= 0; s--) {
        lstmStepBackward(t.b, t.d, L, s, B, lengths);
        kernels.backward(w.b, w.d, s, B, lengths);
      }
      worst = Math.max(worst, assertClose(`lstm ${name} H ${H}`, ts, wasm, 1e-6));
    }
    assert.ok(worst > 0, 'the two kernels are different code: some rounding differs');
  });
});

test.run();
