// The three activations as ops. Each backward reads the forward's output y (out.data),
// which is all its derivative needs (see kernels/js/activations.ts).
import * as act from '../../kernels/backend/pointwise.js';
import type { Buf } from '../../kernels/js/types.js';
import type { Tape, TapeEntry } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { checkTensors, output, record } from './common.js';

type Forward = (y: Buf, x: Buf, n: number) => void;

function unary(
  tape: Tape | null,
  name: string,
  x: Tensor,
  forward: Forward,
  backward: (e: TapeEntry<null>) => void,
): Tensor {
  checkTensors(name, { x });
  const out = output(tape, [x], x.shape);
  forward(out.data, x.data, x.size);
  record(tape, backward, out, [x], null);
  return out;
}

export function sigmoid(tape: Tape | null, x: Tensor): Tensor {
  return unary(tape, 'sigmoid', x, act.sigmoidForward, sigmoidBackward);
}

export function tanh(tape: Tape | null, x: Tensor): Tensor {
  return unary(tape, 'tanh', x, act.tanhForward, tanhBackward);
}

export function relu(tape: Tape | null, x: Tensor): Tensor {
  return unary(tape, 'relu', x, act.reluForward, reluBackward);
}

function sigmoidBackward(e: TapeEntry<null>): void {
  const x = e.inputs[0];
  act.sigmoidBackward(x.ensureGrad(), e.out.data, e.out.grad!, x.size);
}

function tanhBackward(e: TapeEntry<null>): void {
  const x = e.inputs[0];
  act.tanhBackward(x.ensureGrad(), e.out.data, e.out.grad!, x.size);
}

function reluBackward(e: TapeEntry<null>): void {
  const x = e.inputs[0];
  act.reluBackward(x.ensureGrad(), e.out.data, e.out.grad!, x.size);
}
