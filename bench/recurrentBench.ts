// Recurrent layers, fused against unfused, forward and training (forward, full BPTT and all
// gradients), for the three configurations of the issue:
//   S: B 1, T 25, I 65, H 100     M: B 32, T 50, I 64, H 128     L: B 64, T 100, I 256, H 256
// FLOPs are counted as the GEMMs: forward is one [B, I+H] × [I+H, G·H] per step (G = 4 for
// an LSTM, 3 for a GRU, 1 for an RNN), training three of them (backward is two per step).
import { RecurrentLayer, Rng, Tape, Tensor, alloc, type CellKind } from '../index.js';
import type { Build } from '../cells/index.js';
import type { BenchCase } from './measure.js';

export interface LayerConfig {
  name: 'S' | 'M' | 'L' | string;
  B: number;
  T: number;
  I: number;
  H: number;
}

export const layerConfigs: Record<'S' | 'M' | 'L', LayerConfig> = {
  S: { name: 'S', B: 1, T: 25, I: 65, H: 100 },
  M: { name: 'M', B: 32, T: 50, I: 64, H: 128 },
  L: { name: 'L', B: 64, T: 100, I: 256, H: 256 },
};

const gates: Record<string, number> = { lstm: 4, gru: 3, rnn: 1 };

/** GEMM FLOPs of one forward pass: T steps of 2·B·(I+H)·G·H. */
export function forwardFlops(cell: CellKind, c: LayerConfig): number {
  return c.T * 2 * c.B * (c.I + c.H) * gates[cell] * c.H;
}

/** Both builds of a layer on each backend: named `lstm M fused train`, with ` wasm` after on the wasm backend. */
export function layerCases(
  cell: CellKind,
  config: LayerConfig,
  builds: readonly Build[],
  backends: readonly ('js' | 'wasm')[],
): BenchCase[] {
  return backends.flatMap((backend) =>
    builds.flatMap((build) => {
      const data = () => {
        const layer = new RecurrentLayer({ cell, inputSize: config.I, hiddenSize: config.H, build, seed: 1 });
        const rng = new Rng(2);
        const x = Tensor.zeros([config.T, config.B, config.I], 'f32', { requiresGrad: true });
        rng.fillUniform(x.data, -1, 1);
        const seed = alloc('f32', config.T * config.B * config.H);
        rng.fillUniform(seed, -1, 1);
        return { layer, x, seed, tape: new Tape() };
      };
      const base = { cell, config: config.name, variant: build, backend };
      const suffix = backend === 'js' ? '' : ` ${backend}`;
      const flops = forwardFlops(cell, config);
      return [
        {
          ...base,
          name: `${cell} ${config.name} ${build} forward${suffix}`,
          pass: 'forward' as const,
          flops,
          setup: () => {
            const { layer, x } = data();
            return () => layer.forward(null, x);
          },
        },
        {
          ...base,
          name: `${cell} ${config.name} ${build} train${suffix}`,
          pass: 'train' as const,
          flops: 3 * flops,
          setup: () => {
            const { layer, x, seed, tape } = data();
            return () => {
              layer.store.zeroGrad();
              x.zeroGrad();
              const out = layer.forward(tape, x);
              tape.backward(out.y, seed);
              tape.reset();
            };
          },
        },
      ];
    }),
  );
}
