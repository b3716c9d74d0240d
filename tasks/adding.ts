// The adding problem (Hochreiter & Schmidhuber 1997; in this form Arjovsky et al. 2016):
// T steps of (value ~ U[0,1], marker ∈ {0,1}) with exactly one marker in each half of the
// sequence; the target is the sum of the two marked values. Predicting 1 (the mean of the
// sum) gives MSE = Var(u₁ + u₂) = 2/12 ≈ 0.167: the baseline a memoryless model reaches.
import { ArgumentError, alloc, type Rng } from '../core/index.js';
import type { Task, TaskBatch } from './task.js';

export function addingTask(T: number): Task {
  if (!Number.isInteger(T) || T < 2) throw new ArgumentError('adding', 'the sequence length', 'an integer ≥ 2', T);
  const half = Math.floor(T / 2);
  return {
    name: 'adding',
    description: `sum of the two marked values among ${T} (value, marker) pairs`,
    input: { kind: 'values', size: 2 },
    target: { kind: 'regression', classes: 1 },
    metric: { name: 'mse', baseline: 1 / 6, higherIsBetter: false },
    batch(rng: Rng, B: number): TaskBatch {
      const values = alloc('f64', T * B * 2);
      const targets = alloc('f64', B);
      for (let b = 0; b < B; b++) {
        for (let t = 0; t < T; t++) values[(t * B + b) * 2] = rng.uniform();
        const first = rng.int(half),
          second = half + rng.int(T - half);
        for (const t of [first, second]) {
          values[(t * B + b) * 2 + 1] = 1;
          targets[b] += values[(t * B + b) * 2];
        }
      }
      return { T, B, values, targets };
    },
  };
}
