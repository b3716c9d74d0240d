// Reductions to a scalar (shape []).
//
//   sum:  y = Σ x        ∂x += ∂y
//   mean: y = Σ x / n    ∂x += ∂y / n
import { addConstant } from '../../kernels/backend/pointwise.js';
import { sumAll } from '../../kernels/js/reduce.js';
import type { Tape, TapeEntry } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { ArgumentError } from '../errors.js';
import { checkTensors, output, record } from './common.js';

interface ReduceSaved {
  scale: number;
}

export function sum(tape: Tape | null, x: Tensor): Tensor {
  return reduce(tape, 'sum', x, 1);
}

export function mean(tape: Tape | null, x: Tensor): Tensor {
  if (x.size === 0) throw new ArgumentError('mean', 'x', 'a tensor with at least one element', 'an empty tensor', true);
  return reduce(tape, 'mean', x, 1 / x.size);
}

function reduce(tape: Tape | null, name: string, x: Tensor, scale: number): Tensor {
  checkTensors(name, { x });
  const out = output(tape, [x], []);
  out.data[0] = sumAll(x.data, x.size) * scale;
  record(tape, reduceBackward, out, [x], { scale });
  return out;
}

function reduceBackward(e: TapeEntry<ReduceSaved>): void {
  const x = e.inputs[0];
  addConstant(x.ensureGrad(), e.out.grad![0] * e.saved.scale, x.size);
}
