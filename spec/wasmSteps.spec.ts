// Each wasm step kernel against its TypeScript twin (the oracle) on the same inputs: every
// layout, sizes with and without a tail of lanes, a row past its sequence's length, forward
// and backward. The twins differ only by rounding (float32 against float64 inside a step).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as gru from '../kernels/js/gruStep.js';
import {
  lstmStepBackward,
  lstmStepForward,
  type LstmBuffers,
  type LstmGradBuffers,
  type LstmLayout,
} from '../kernels/js/lstmStep.js';
import { rnnStepBackward, rnnStepForward } from '../kernels/js/rnnStep.js';
import { gruStepKernels, lstmStepKernels, rnnStepKernels } from '../kernels/backend/steps.js';
import { WasmGruStep } from '../kernels/wasm/gruStep.js';
import { WasmLstmStep } from '../kernels/wasm/lstmStep.js';
import { WasmRnnStep } from '../kernels/wasm/rnnStep.js';
import { allocPinned, Rng } from '../index.js';
import { onBackend, relToMax } from './helpers.js';

/** Two identical sets of buffers (every named size filled at random from one seed). */
function twins<K extends string>(
  sizes: Record<K, number>,
  seed: number,
): [Record<K, Float32Array>, Record<K, Float32Array>] {
  const make = () => {
    const rng = new Rng(seed);
    const out = {} as Record<K, Float32Array>;
    for (const [name, n] of Object.entries(sizes) as [K, number][]) {
      out[name] = allocPinned('f32', n);
      rng.fillUniform(out[name], -2, 2);
    }
    return out;
  };
  return [make(), make()];
}

/** Every buffer of the wasm run within `tolerance` of the TypeScript run (relative to its largest value). */
function assertClose<K extends string>(
  what: string,
  ts: Record<K, Float32Array>,
  wasm: Record<K, Float32Array>,
  tolerance: number,
): void {
  for (const name of Object.keys(ts) as K[]) {
    const r = relToMax(wasm[name], ts[name]);
    assert.ok(r <= tolerance, `${what}: ${name} differs by ${r} relative to its largest value`);
  }
}

const lstmVariants: Record<
  string,
  {
    gates: string;
    coupled?: boolean;
    peephole?: boolean;
    niaf?: boolean;
    noaf?: boolean;
    fgr?: boolean;
    noBias?: boolean;
  }
> = {
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
  onBackend('wasm', () => {
    for (const [name, v] of Object.entries(lstmVariants))
      for (const H of [1, 4, 7, 13]) {
        const offsets = { f: -1, i: -1, g: -1, o: -1 };
        let width = 0;
        for (const gate of ['f', 'i', 'g', 'o'] as const)
          if (v.gates.includes(gate)) {
            offsets[gate] = width;
            width += H;
          }
        const L: LstmLayout = {
          hiddenSize: H,
          width,
          ...offsets,
          coupled: v.coupled === true,
          peephole: v.peephole === true,
          inputActivation: v.niaf !== true,
          outputActivation: v.noaf !== true,
        };
        const T = 2,
          B = 3,
          lengths = Int32Array.of(2, 1, 2);
        const peep = (gate: string) => (v.peephole && v.gates.includes(gate) ? H : 0);
        const sizes = {
          pre: T * B * width,
          bias: width,
          act: T * B * 4 * H,
          cs: (T + 1) * B * H,
          tcs: T * B * H,
          hs: (T + 1) * B * H,
          pI: peep('i'),
          pF: peep('f'),
          pO: peep('o'),
          dPre: T * B * width,
          dh: B * H,
          dc: B * H,
          dRec: B * 4 * H,
          dpI: peep('i'),
          dpF: peep('f'),
          dpO: peep('o'),
        };
        const [ts, wasm] = twins(sizes, H * 31 + name.length);
        const views = (x: typeof ts): { b: LstmBuffers; d: LstmGradBuffers } => ({
          b: {
            pre: x.pre,
            bias: v.noBias ? null : x.bias,
            act: x.act,
            cs: x.cs,
            tcs: x.tcs,
            hs: x.hs,
            pI: x.pI.length ? x.pI : null,
            pF: x.pF.length ? x.pF : null,
            pO: x.pO.length ? x.pO : null,
          },
          d: {
            dPre: x.dPre,
            dh: x.dh,
            dc: x.dc,
            dGateRecurrent: v.fgr ? x.dRec : null,
            dpI: x.pI.length ? x.dpI : null,
            dpF: x.pF.length ? x.dpF : null,
            dpO: x.pO.length ? x.dpO : null,
          },
        });
        const t = views(ts),
          w = views(wasm);
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
        assertClose(`lstm ${name} H ${H}`, ts, wasm, 1e-6);
      }
  });
});

const T = 2,
  B = 3,
  lengths = Int32Array.of(2, 1, 2);

test('the wasm GRU steps equal the TypeScript steps to float32 rounding: both forms, both conventions of z, H with and without a tail, a padded row', () => {
  onBackend('wasm', () => {
    for (const zWrites of [false, true])
      for (const resetAfter of [true, false])
        for (const H of [1, 4, 7, 13]) {
          const zSign = zWrites ? -1 : 1;
          const G = 3 * H;
          const sizes = {
            xp: T * B * G,
            hp: T * B * G,
            act: T * B * G,
            rh: T * B * H,
            hs: (T + 1) * B * H,
            dXp: T * B * G,
            dHp: T * B * G,
            dh: B * H,
            dhPrev: B * H,
            dRh: B * H,
          };
          const [ts, wasm] = twins(sizes, H * 7 + (resetAfter ? 1 : 0) + (zWrites ? 2 : 0));
          const views = (x: typeof ts): { b: gru.GruBuffers; d: gru.GruGradBuffers } => ({
            b: { xp: x.xp, hp: x.hp, act: x.act, rh: x.rh, hs: x.hs },
            d: { dXp: x.dXp, dHp: x.dHp, dh: x.dh, dhPrev: x.dhPrev, dRh: x.dRh },
          });
          const t = views(ts),
            w = views(wasm);
          const kernels = gruStepKernels(zWrites, w.b, w.d);
          assert.ok(kernels instanceof WasmGruStep, 'the buffers live in the heap, so the wasm kernel runs');
          for (let s = 0; s < T; s++) {
            if (resetAfter) {
              gru.gruStepForward(t.b, H, s, B, lengths, zSign);
              kernels.forward(w.b, H, s, B, lengths);
            } else {
              gru.gruBeforeGatesForward(t.b, H, s, B, lengths, zSign);
              kernels.beforeGatesForward(w.b, H, s, B, lengths);
              gru.gruBeforeOutputForward(t.b, H, s, B, lengths);
              kernels.beforeOutputForward(w.b, H, s, B, lengths);
            }
          }
          for (let s = T - 1; s >= 0; s--) {
            if (resetAfter) {
              gru.gruStepBackward(t.b, t.d, H, s, B, lengths, zSign);
              kernels.backward(w.b, w.d, H, s, B, lengths);
            } else {
              gru.gruBeforeOutputBackward(t.b, t.d, H, s, B, lengths);
              kernels.beforeOutputBackward(w.b, w.d, H, s, B, lengths);
              gru.gruBeforeGatesBackward(t.b, t.d, H, s, B, lengths, zSign);
              kernels.beforeGatesBackward(w.b, w.d, H, s, B, lengths);
            }
          }
          assertClose(
            `gru ${resetAfter ? 'reset after' : 'reset before'} z ${zWrites ? 'writes' : 'keeps'} H ${H}`,
            ts,
            wasm,
            1e-6,
          );
        }
  });
});

test('the wasm Elman step equals the TypeScript step: tanh and sigmoid to float32 rounding, relu exactly (NaN and −0 included), a padded row', () => {
  onBackend('wasm', () => {
    for (const act of ['tanh', 'relu', 'sigmoid'] as const)
      for (const H of [1, 4, 7, 13]) {
        const relu = act === 'relu';
        const sizes = { pre: T * B * H, hs: (T + 1) * B * H, dPre: T * B * H, dHs: (T + 1) * B * H };
        const [ts, wasm] = twins(sizes, H * 5 + ['tanh', 'relu', 'sigmoid'].indexOf(act));
        for (const x of [ts, wasm]) {
          x.pre[0] = NaN;
          x.pre[H * B - 1] = -0;
        }
        const kernels = rnnStepKernels(act, [wasm.pre, wasm.hs, wasm.dPre, wasm.dHs]);
        assert.ok(kernels instanceof WasmRnnStep, 'the buffers live in the heap, so the wasm kernel runs');
        for (let s = 0; s < T; s++) {
          rnnStepForward(ts.pre, ts.hs, act, H, s, B, lengths);
          kernels.forward(wasm.pre, wasm.hs, H, s, B, lengths);
        }
        for (let s = T - 1; s >= 0; s--) {
          rnnStepBackward(ts.dPre, ts.hs, ts.dHs, act, H, s, B, lengths);
          kernels.backward(wasm.dPre, wasm.hs, wasm.dHs, H, s, B, lengths);
        }
        if (relu) {
          for (const name of Object.keys(sizes) as (keyof typeof sizes)[]) {
            assert.equal([...wasm[name]].map(String), [...ts[name]].map(String), `relu H ${H}: ${name} bit for bit`);
          }
        } else {
          assert.ok(Number.isNaN(wasm.hs[B * H]) && Number.isNaN(ts.hs[B * H]), `${act}(NaN) is NaN in both`);
          wasm.hs[B * H] = ts.hs[B * H] = wasm.pre[0] = ts.pre[0] = 0;
          wasm.dPre[0] = ts.dPre[0] = 0;
          assertClose(`rnn ${act} H ${H}`, ts, wasm, 1e-6);
        }
      }
  });
});

test.run();
