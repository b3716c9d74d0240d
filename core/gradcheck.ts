// Gradient checking: the tape's gradients against central finite differences,
//
//   ∂L/∂x_q ≈ (L(x + ε e_q) − L(x − ε e_q)) / (x_q⁺ − x_q⁻)
//
// for every element q of every input, where x_q± are the perturbed values as actually
// stored (in float32, x + ε is rounded, and dividing by the stored step removes that error).
//
// An element passes when |analytic − numeric| ≤ atol + rtol·|numeric| (PyTorch's rule), so
// the report's errorToBound, the largest |analytic − numeric| / (atol + rtol·|numeric|), is
// what decides: at most 1 passes;
// a NaN or infinity on either side is a failure, never a pass. A step that rounds away
// (x + ε and x − ε stored as the same number) is an error: it measures nothing.
// The defaults follow PyTorch's gradcheck for float64. Float32 keeps about 7 digits, so its
// step must be much larger and its bounds looser (see GRADCHECK_DEFAULTS and the README).
import type { Buf } from '../kernels/js/types.js';
import { alloc, type DType } from './alloc.js';
import { ArgumentError, checkFiniteValues, NonFiniteError } from './errors.js';
import * as ops from './ops/index.js';
import type { Rng } from './rng.js';
import { shapeStr, type Shape } from './shape.js';
import { Tape } from './tape.js';
import { Tensor } from './tensor.js';
import { withScope } from './scope.js';

export interface GradcheckOptions {
  /** Finite-difference step. */
  eps?: number;
  /** Absolute tolerance. */
  atol?: number;
  /** Relative tolerance. */
  rtol?: number;
}

export const GRADCHECK_DEFAULTS: Readonly<Record<DType, Required<GradcheckOptions>>> = Object.freeze({
  // PyTorch's torch.autograd.gradcheck defaults.
  f64: { eps: 1e-6, atol: 1e-5, rtol: 1e-3 },
  // float32 resolves about 6e-8 relative: with ε = 1e-3 the rounding of L contributes
  // about 6e-8·|L| / 2e-3 ≈ 3e-5·|L| to each difference quotient, and curvature ε²·|L'''|.
  f32: { eps: 1e-3, atol: 1e-3, rtol: 1e-2 },
});

/** Relative errors are taken against max(|analytic|, |numeric|, this floor). */
export const REL_ERR_FLOOR = 1e-3;

export interface GradcheckInputReport {
  name: string;
  shape: readonly number[];
  maxAbsErr: number;
  maxRelErr: number;
  /** Flat index of the element with the largest relative error (-1 for an empty input). */
  worstIndex: number;
  analytic: number;
  numeric: number;
  /** Elements failing atol + rtol·|numeric|. */
  failures: number;
  /**
   * The largest |analytic − numeric| / (atol + rtol·|numeric|): what decides the check. The
   * input passes when it is at most 1 (NaN when a value was NaN).
   */
  errorToBound: number;
  ok: boolean;
}

export interface GradcheckReport {
  ok: boolean;
  dtype: DType;
  eps: number;
  atol: number;
  rtol: number;
  inputs: GradcheckInputReport[];
  /** The largest maxRelErr over all inputs. */
  maxRelErr: number;
  /** The largest errorToBound over all inputs: the check passes when it is at most 1. */
  errorToBound: number;
}

/**
 * Check `loss(tape)`'s gradient with respect to each tensor in `inputs`. `loss` must read
 * the inputs' current data each time it is called (gradcheck perturbs them in place and
 * restores them exactly) and return a one-element tensor. The inputs' requiresGrad and
 * grad are restored afterwards.
 */
export function gradcheck(
  loss: (tape: Tape | null) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckReport {
  if (typeof loss !== 'function')
    throw new ArgumentError('gradcheck', 'loss', 'a function (tape) => Tensor', typeof loss);
  if (!Array.isArray(inputs) || inputs.length === 0)
    throw new ArgumentError('gradcheck', 'inputs', 'a non-empty array of tensors', inputs);
  inputs.forEach((t, q) => {
    if (!(t instanceof Tensor)) throw new ArgumentError('gradcheck', `inputs[${q}]`, 'a Tensor', typeof t);
  });
  const dtype: DType = inputs[0].dtype;
  inputs.forEach((t, q) => {
    if (t.dtype !== dtype)
      throw new ArgumentError('gradcheck', `inputs[${q}]`, `of dtype ${dtype} like inputs[0]`, t.dtype);
    checkFiniteValues('gradcheck', labelOf(t, q), t.data, '; gradcheck needs finite input values');
  });
  const { eps, atol, rtol } = { ...GRADCHECK_DEFAULTS[dtype], ...options };
  for (const [key, v] of Object.entries({ eps, atol, rtol })) {
    if (!(typeof v === 'number' && v >= 0 && Number.isFinite(v)) || (key === 'eps' && v === 0)) {
      throw new ArgumentError('gradcheck', key, `a finite number${key === 'eps' ? ' > 0' : ' ≥ 0'}`, v);
    }
  }

  const analytic = analyticGradients(loss, inputs);
  const reports = inputs.map((input, q) => compare(loss, input, labelOf(input, q), analytic[q], eps, atol, rtol));
  return {
    ok: reports.every((r) => r.ok),
    dtype,
    eps,
    atol,
    rtol,
    inputs: reports,
    maxRelErr: Math.max(0, ...reports.map((r) => r.maxRelErr)),
    errorToBound: reports.reduce((worst, r) => (isWorse(r.errorToBound, worst) ? r.errorToBound : worst), 0),
  };
}

function labelOf(t: Tensor, q: number): string {
  return t.name === '' ? `inputs[${q}]` : t.name;
}

/** One recorded forward and backward; the inputs' own grads and flags are left as they were. */
function analyticGradients(loss: (tape: Tape | null) => Tensor, inputs: readonly Tensor[]): Buf[] {
  const saved = inputs.map((t) => ({
    requiresGrad: t.requiresGrad,
    grad: t.grad === null ? null : snapshot(t.grad, t.size),
  }));
  try {
    for (const t of inputs) {
      t.requiresGrad = true;
      t.zeroGrad();
    }
    // In an allocation scope: the pass's tensors are freed, the float64 copies returned are ours.
    return withScope(() => {
      const tape = new Tape();
      const out = evaluate(loss, tape, 'the recorded run');
      tape.backward(out);
      return inputs.map((t) => snapshot(t.grad, t.size));
    });
  } finally {
    inputs.forEach((t, q) => {
      t.requiresGrad = saved[q].requiresGrad;
      const g = saved[q].grad;
      if (g === null) t.grad = null;
      else t.grad!.set(g);
    });
  }
}

function evaluate(loss: (tape: Tape | null) => Tensor, tape: Tape | null, when: string): Tensor {
  const out = loss(tape);
  if (!(out instanceof Tensor) || out.size !== 1) {
    const got = out instanceof Tensor ? `shape ${shapeStr(out.shape)}` : typeof out;
    throw new Error(`gradcheck: loss must return a one-element Tensor, got ${got}`);
  }
  if (!Number.isFinite(out.data[0]))
    throw new NonFiniteError('gradcheck', `the loss in ${when}`, out.data[0], '; it must be finite');
  return out;
}

function compare(
  loss: (tape: Tape | null) => Tensor,
  input: Tensor,
  label: string,
  analytic: Buf,
  eps: number,
  atol: number,
  rtol: number,
): GradcheckInputReport {
  const report: GradcheckInputReport = {
    name: label,
    shape: input.shape,
    maxAbsErr: 0,
    maxRelErr: 0,
    worstIndex: -1,
    analytic: 0,
    numeric: 0,
    failures: 0,
    errorToBound: 0,
    ok: true,
  };
  const data = input.data;
  for (let q = 0; q < input.size; q++) {
    const original = data[q];
    data[q] = original + eps;
    const plusStored = data[q];
    const plus = withScope(() => evaluate(loss, null, `${label}[${q}] + eps`).data[0]);
    data[q] = original - eps;
    const minusStored = data[q];
    const minus = withScope(() => evaluate(loss, null, `${label}[${q}] − eps`).data[0]);
    data[q] = original;
    if (plusStored === minusStored) {
      throw new ArgumentError(
        'gradcheck',
        'eps',
        `large enough that ${label}[${q}] ± eps differ in ${input.dtype} (${label}[${q}] is ${original})`,
        eps,
      );
    }
    const numeric = (plus - minus) / (plusStored - minusStored);
    const a = analytic[q];
    const absErr = Math.abs(a - numeric);
    const relErr = absErr / Math.max(Math.abs(a), Math.abs(numeric), REL_ERR_FLOOR);
    const toBound = absErr / (atol + rtol * Math.abs(numeric));
    // Written so that NaN fails: NaN ≤ anything is false.
    if (!(absErr <= atol + rtol * Math.abs(numeric))) report.failures++;
    report.maxAbsErr = Math.max(report.maxAbsErr, absErr);
    if (isWorse(toBound, report.errorToBound)) report.errorToBound = toBound;
    if (report.worstIndex < 0 || isWorse(relErr, report.maxRelErr)) {
      Object.assign(report, { maxRelErr: relErr, worstIndex: q, analytic: a, numeric });
    }
  }
  report.ok = report.failures === 0;
  return report;
}

/** Whether error a is worse than b, NaN being the worst of all. */
function isWorse(a: number, b: number): boolean {
  return Number.isNaN(b) ? false : Number.isNaN(a) || a > b;
}

/** A float64 copy of a buffer (or zeros of the given size when there is none). */
function snapshot(data: Buf | null, size: number): Buf {
  const copy = alloc('f64', size);
  if (data !== null) copy.set(data);
  return copy;
}

/** A tensor of the given shape, uniform in [lo, hi). */
export function randomTensor(rng: Rng, shape: Shape, dtype: DType, name = '', lo = -1, hi = 1): Tensor {
  const t = Tensor.zeros(shape, dtype, { name });
  rng.fillUniform(t.data, lo, hi);
  return t;
}

/** L = Σ y ⊙ r: the scalar loss the checks use, r fixed random weights of y's shape. */
export function weightedSum(tape: Tape | null, y: Tensor, r: Tensor): Tensor {
  return ops.sum(tape, ops.mul(tape, y, r));
}
