// One gradient-check case per cell, option and layer feature, in the form of the op
// cases: small sizes (T 3, B 2, I 3, H 4), every parameter, x, h0 (and c0) checked, with
// the loss Σ y ⊙ r_y + Σ h_n ⊙ r_h (+ Σ c_n ⊙ r_c) under fixed random weights r.
import { ops, randomTensor, type Tape, type Tensor } from '../core/index.js';
import { RecurrentLayer, type Build, type LayerOptions } from '../cells/index.js';
import type { GradcheckCase } from './opCases.js';

interface CaseSpec {
  name: string;
  layer: Omit<LayerOptions, 'inputSize' | 'hiddenSize' | 'dtype'> & { inputSize?: number; hiddenSize?: number };
  lengths?: number[];
  builds?: Build[];
}

const T = 3,
  B = 2;

function layerCase(spec: CaseSpec, build: Build): GradcheckCase {
  return {
    name: `${spec.name} (${build})`,
    build(dtype, rng) {
      const inputSize = spec.layer.inputSize ?? 3,
        hiddenSize = spec.layer.hiddenSize ?? 4;
      const layer = new RecurrentLayer({ ...spec.layer, inputSize, hiddenSize, dtype, build, seed: rng.int(1000) });
      const states = (spec.layer.numLayers ?? 1) * layer.directions;
      const xShape = spec.layer.batchFirst ? [B, T, inputSize] : [T, B, inputSize];
      const x = randomTensor(rng, xShape, dtype, 'x');
      const h0 = randomTensor(rng, [states, B, hiddenSize], dtype, 'h0');
      const c0 = layer.hasCellState ? randomTensor(rng, [states, B, hiddenSize], dtype, 'c0') : undefined;
      const run = (tape: Tape | null) => layer.forward(tape, x, { h0, c0, lengths: spec.lengths });
      const probe = run(null);
      const ry = randomTensor(rng, probe.y.shape, dtype, 'r_y');
      const rh = randomTensor(rng, probe.h.shape, dtype, 'r_h');
      const rc = probe.c === null ? null : randomTensor(rng, probe.c.shape, dtype, 'r_c');
      const params = layer.store.entries().map(([, t]) => t);
      return {
        inputs: [x, h0, ...(c0 === undefined ? [] : [c0]), ...params],
        loss: (tape) => {
          const out = run(tape);
          const weighted = (t: Tensor, r: Tensor) => ops.sum(tape, ops.mul(tape, t, r));
          let loss = ops.add(tape, weighted(out.y, ry), weighted(out.h, rh));
          if (out.c !== null && rc !== null) loss = ops.add(tape, loss, weighted(out.c, rc));
          return loss;
        },
      };
    },
  };
}

const specs: CaseSpec[] = [
  { name: 'rnn tanh', layer: { cell: 'rnn' } },
  { name: 'rnn relu', layer: { cell: 'rnn', nonlinearity: 'relu' } },
  { name: 'rnn sigmoid', layer: { cell: 'rnn', nonlinearity: 'sigmoid' } },
  { name: 'rnn delay 2', layer: { cell: 'rnn', delay: 2 } },
  { name: 'rnn single bias', layer: { cell: 'rnn', bias: 'single' } },
  { name: 'lstm', layer: { cell: 'lstm' } },
  { name: 'lstm no bias', layer: { cell: 'lstm', bias: false } },
  ...(['peephole', 'cifg', 'nfg', 'nig', 'nog', 'niaf', 'noaf', 'fgr'] as const).map((variant) => ({
    name: `lstm ${variant}`,
    layer: { cell: 'lstm' as const, variant },
  })),
  { name: 'lstm peephole+cifg', layer: { cell: 'lstm', variant: ['peephole', 'cifg'] } },
  { name: 'lstm forget bias 1', layer: { cell: 'lstm', forgetBias: 1 } },
  { name: 'gru reset after', layer: { cell: 'gru' } },
  { name: 'gru reset before', layer: { cell: 'gru', resetAfter: false, bias: 'single' } },
  { name: 'gru z writes', layer: { cell: 'gru', updateGate: 'writes' } },
  { name: 'gru reset before z writes', layer: { cell: 'gru', resetAfter: false, updateGate: 'writes' } },
  { name: 'mut1', layer: { cell: 'mut1', inputSize: 4 }, builds: ['unfused'] },
  { name: 'mut2', layer: { cell: 'mut2', inputSize: 4 }, builds: ['unfused'] },
  { name: 'mut3', layer: { cell: 'mut3' }, builds: ['unfused'] },
  { name: 'lstm 2 layers bidirectional', layer: { cell: 'lstm', numLayers: 2, bidirectional: true } },
  ...(['sum', 'mean', 'mul', 'max'] as const).map((merge) => ({
    name: `gru bidirectional merge ${merge}`,
    layer: { cell: 'gru' as const, bidirectional: true, merge },
  })),
  { name: 'lstm bidirectional lengths', layer: { cell: 'lstm', bidirectional: true }, lengths: [3, 2] },
  { name: 'rnn concatenated input lengths', layer: { cell: 'rnn', bidirectional: 'concatenated' }, lengths: [3, 2] },
  { name: 'gru concatenated input 2 layers', layer: { cell: 'gru', bidirectional: 'concatenated', numLayers: 2 } },
  { name: 'rnn delay 2 lengths', layer: { cell: 'rnn', delay: 2, bidirectional: true }, lengths: [2, 3] },
  { name: 'gru batch-first 2 layers', layer: { cell: 'gru', numLayers: 2, batchFirst: true } },
];

export const cellCases: GradcheckCase[] = specs.flatMap((spec) =>
  (spec.builds ?? (['fused', 'unfused'] as Build[])).map((build) => layerCase(spec, build)),
);
