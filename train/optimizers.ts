// Optimizers over the flat parameter buffer of a ParamStore, following PyTorch 1.13's update
// rules step for step (torch/optim/*.py), so that their trajectories agree with PyTorch's.
// Each step reads store.grad and updates store.data in place; the state (moment buffers,
// the step count) lives in buffers made once, named for checkpoints.
//
//   SGD      g = ∇ + λθ;  b = μb + (1−τ)g (b = g at the first step);  g = g + μb (Nesterov) or b;  θ −= η g
//   RMSprop  g = ∇ + λθ;  s = αs + (1−α)g²;  centered: m = αm + (1−α)g, d = √(s − m²) + ε, else d = √s + ε;
//            with momentum b = μb + g/d, θ −= η b;  without, θ −= η g/d
//   Adagrad  g = ∇ + λθ;  η_t = η / (1 + (t−1)·decay);  S += g²;  θ −= η_t g / (√S + ε)
//   Adam     g = ∇ + λθ;  m = β₁m + (1−β₁)g;  v = β₂v + (1−β₂)g²;  (AMSGrad: v̂ = max(v̂, v));
//            θ −= (η / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)
//   AdamW    as Adam with λ = 0 in g, and θ *= 1 − ηλ first (decoupled weight decay)
import { allocPinned, ArgumentError, type Buf, type ParamStore } from '../core/index.js';

export type OptimizerName = 'sgd' | 'rmsprop' | 'adagrad' | 'adam' | 'adamw';
export const optimizerNames: readonly OptimizerName[] = ['sgd', 'rmsprop', 'adagrad', 'adam', 'adamw'];

/**
 * Everything an update changes: the parameters, every state buffer, the step count and the
 * learning rate. Made once (Optimizer.snapshot) and refilled in place, so that keeping one
 * every step allocates nothing.
 */
export interface OptimizerSnapshot {
  params: Buf;
  state: Map<string, Buf>;
  stepCount: number;
  lr: number;
}

export abstract class Optimizer {
  abstract readonly name: OptimizerName;
  private steps = 0;
  private rate: number;
  private readonly buffers = new Map<string, Buf>();

  constructor(
    readonly store: ParamStore,
    lr: number,
    private readonly where: string,
  ) {
    if (!store.allocated)
      throw new Error(`${where}: the parameter store is not allocated yet; make the optimizer after the model`);
    this.rate = checkHyper(where, 'lr', lr, atLeast(0));
  }

  /** The learning rate; schedules (and a resumed checkpoint) change it between steps, checked as the constructor checks it. */
  get lr(): number {
    return this.rate;
  }

  set lr(value: number) {
    this.rate = checkHyper(this.where, 'lr', value, atLeast(0));
  }

  /** Steps taken so far (an integer ≥ 0). */
  get stepCount(): number {
    return this.steps;
  }

  set stepCount(value: number) {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new ArgumentError(this.where, 'stepCount', 'an integer ≥ 0', value);
    this.steps = value;
  }

  /** A state buffer the size of the parameters, zero-filled (or filled with `value`). */
  protected buffer(name: string, value = 0): Buf {
    const b = allocPinned(this.store.dtype, this.store.size);
    if (value !== 0) b.fill(value);
    this.buffers.set(name, b);
    return b;
  }

  /** The state buffers by name, for a checkpoint. */
  state(): Map<string, Buf> {
    return this.buffers;
  }

  /** One update of store.data from store.grad. */
  step(): void {
    this.steps++;
    this.update(this.store.data, this.store.grad, this.store.size);
  }

  /** A copy of the parameters and the whole optimizer state, refilling `into` when given (no allocation then). */
  snapshot(into?: OptimizerSnapshot): OptimizerSnapshot {
    const snap = into ?? {
      params: allocPinned(this.store.dtype, this.store.size),
      state: new Map([...this.buffers].map(([name, b]) => [name, allocPinned(this.store.dtype, b.length)])),
      stepCount: 0,
      lr: 0,
    };
    snap.params.set(this.store.data);
    for (const [name, b] of this.buffers) snap.state.get(name)!.set(b);
    snap.stepCount = this.stepCount;
    snap.lr = this.lr;
    return snap;
  }

  /** Put the parameters and the optimizer state back as `snap` holds them. */
  restore(snap: OptimizerSnapshot): void {
    this.store.data.set(snap.params);
    for (const [name, b] of this.buffers) b.set(snap.state.get(name)!);
    this.stepCount = snap.stepCount;
    this.lr = snap.lr;
  }

  protected abstract update(p: Buf, g: Buf, n: number): void;
}

export interface SgdOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

export class SGD extends Optimizer {
  readonly name = 'sgd';
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  private readonly b: Buf | null;

  constructor(store: ParamStore, o: SgdOptions) {
    super(store, o.lr, 'sgd');
    this.momentum = checkHyper('sgd', 'momentum', o.momentum ?? 0, atLeast(0));
    this.dampening = checkHyper('sgd', 'dampening', o.dampening ?? 0, anyFinite);
    this.weightDecay = checkHyper('sgd', 'weightDecay', o.weightDecay ?? 0, atLeast(0));
    this.nesterov = checkFlag('sgd', 'nesterov', o.nesterov);
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new ArgumentError(
        'sgd',
        'nesterov',
        'used with momentum > 0 and dampening 0',
        `momentum ${this.momentum} and dampening ${this.dampening}`,
        true,
      );
    }
    this.b = this.momentum !== 0 ? this.buffer('momentum_buffer') : null;
  }

  protected update(p: Buf, g: Buf, n: number): void {
    const { lr, momentum: mu, dampening, nesterov, weightDecay: wd, b } = this;
    const first = this.stepCount === 1;
    for (let q = 0; q < n; q++) {
      let d = wd !== 0 ? g[q] + wd * p[q] : g[q];
      if (b !== null) {
        b[q] = first ? d : mu * b[q] + (1 - dampening) * d;
        d = nesterov ? d + mu * b[q] : b[q];
      }
      p[q] -= lr * d;
    }
  }
}

export interface RmspropOptions {
  lr: number;
  alpha?: number;
  eps?: number;
  momentum?: number;
  centered?: boolean;
  weightDecay?: number;
}

export class RMSprop extends Optimizer {
  readonly name = 'rmsprop';
  readonly alpha: number;
  readonly eps: number;
  readonly momentum: number;
  readonly centered: boolean;
  readonly weightDecay: number;
  private readonly s: Buf;
  private readonly m: Buf | null;
  private readonly b: Buf | null;

  constructor(store: ParamStore, o: RmspropOptions) {
    super(store, o.lr, 'rmsprop');
    this.alpha = checkHyper('rmsprop', 'alpha', o.alpha ?? 0.99, smoothing);
    this.eps = checkHyper('rmsprop', 'eps', o.eps ?? 1e-8, atLeast(0));
    this.momentum = checkHyper('rmsprop', 'momentum', o.momentum ?? 0, atLeast(0));
    this.weightDecay = checkHyper('rmsprop', 'weightDecay', o.weightDecay ?? 0, atLeast(0));
    this.centered = checkFlag('rmsprop', 'centered', o.centered);
    this.s = this.buffer('square_avg');
    this.m = this.centered ? this.buffer('grad_avg') : null;
    this.b = this.momentum > 0 ? this.buffer('momentum_buffer') : null;
  }

  protected update(p: Buf, g: Buf, n: number): void {
    const { lr, alpha, eps, momentum: mu, weightDecay: wd, s, m, b } = this;
    for (let q = 0; q < n; q++) {
      const d = wd !== 0 ? g[q] + wd * p[q] : g[q];
      s[q] = alpha * s[q] + (1 - alpha) * d * d;
      let avg: number;
      if (m !== null) {
        m[q] = alpha * m[q] + (1 - alpha) * d;
        avg = Math.sqrt(s[q] - m[q] * m[q]) + eps;
      } else avg = Math.sqrt(s[q]) + eps;
      if (b !== null) {
        b[q] = mu * b[q] + d / avg;
        p[q] -= lr * b[q];
      } else p[q] -= lr * (d / avg);
    }
  }
}

export interface AdagradOptions {
  lr: number;
  lrDecay?: number;
  eps?: number;
  initialAccumulatorValue?: number;
  weightDecay?: number;
}

export class Adagrad extends Optimizer {
  readonly name = 'adagrad';
  readonly lrDecay: number;
  readonly eps: number;
  readonly weightDecay: number;
  private readonly sum: Buf;

  constructor(store: ParamStore, o: AdagradOptions) {
    super(store, o.lr, 'adagrad');
    this.lrDecay = checkHyper('adagrad', 'lrDecay', o.lrDecay ?? 0, atLeast(0));
    this.eps = checkHyper('adagrad', 'eps', o.eps ?? 1e-10, atLeast(0));
    this.weightDecay = checkHyper('adagrad', 'weightDecay', o.weightDecay ?? 0, atLeast(0));
    this.sum = this.buffer(
      'sum',
      checkHyper('adagrad', 'initialAccumulatorValue', o.initialAccumulatorValue ?? 0, atLeast(0)),
    );
  }

  protected update(p: Buf, g: Buf, n: number): void {
    const { eps, weightDecay: wd, sum } = this;
    const clr = this.lr / (1 + (this.stepCount - 1) * this.lrDecay);
    for (let q = 0; q < n; q++) {
      const d = wd !== 0 ? g[q] + wd * p[q] : g[q];
      sum[q] += d * d;
      p[q] -= clr * (d / (Math.sqrt(sum[q]) + eps));
    }
  }
}

export interface AdamOptions {
  lr: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
}

export class Adam extends Optimizer {
  readonly name: 'adam' | 'adamw';
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly amsgrad: boolean;
  private readonly m: Buf;
  private readonly v: Buf;
  private readonly vMax: Buf | null;

  /** decoupled: AdamW's weight decay (θ *= 1 − ηλ) instead of Adam's L2 term in the gradient. */
  constructor(
    store: ParamStore,
    o: AdamOptions,
    readonly decoupled = false,
  ) {
    const name = decoupled ? 'adamw' : 'adam';
    super(store, o.lr, name);
    this.name = name;
    const betas = o.betas ?? [0.9, 0.999];
    if (!Array.isArray(betas) || betas.length !== 2)
      throw new ArgumentError(name, 'betas', 'a pair [beta1, beta2]', betas);
    this.beta1 = checkHyper(name, 'betas[0]', betas[0], inUnit);
    this.beta2 = checkHyper(name, 'betas[1]', betas[1], inUnit);
    this.eps = checkHyper(name, 'eps', o.eps ?? 1e-8, atLeast(0));
    this.weightDecay = checkHyper(name, 'weightDecay', o.weightDecay ?? (decoupled ? 1e-2 : 0), atLeast(0));
    this.amsgrad = checkFlag(name, 'amsgrad', o.amsgrad);
    this.m = this.buffer('exp_avg');
    this.v = this.buffer('exp_avg_sq');
    this.vMax = this.amsgrad ? this.buffer('max_exp_avg_sq') : null;
  }

  protected update(p: Buf, g: Buf, n: number): void {
    const { lr, beta1, beta2, eps, weightDecay: wd, decoupled, m, v, vMax } = this;
    const t = this.stepCount;
    const stepSize = lr / (1 - beta1 ** t);
    const correction2 = Math.sqrt(1 - beta2 ** t);
    const shrink = 1 - lr * wd;
    for (let q = 0; q < n; q++) {
      let d = g[q];
      if (wd !== 0) {
        if (decoupled) p[q] *= shrink;
        else d += wd * p[q];
      }
      m[q] = beta1 * m[q] + (1 - beta1) * d;
      v[q] = beta2 * v[q] + (1 - beta2) * d * d;
      let second = v[q];
      if (vMax !== null) second = vMax[q] = Math.max(vMax[q], v[q]);
      p[q] -= stepSize * (m[q] / (Math.sqrt(second) / correction2 + eps));
    }
  }
}

export class AdamW extends Adam {
  constructor(store: ParamStore, o: AdamOptions) {
    super(store, o, true);
  }
}

/** Options by PyTorch's names (lr, momentum, betas, weight_decay, ...) or ours (weightDecay, ...). */
export type OptimizerConfig = Record<string, unknown>;

const renames: Record<string, string> = {
  weight_decay: 'weightDecay',
  lr_decay: 'lrDecay',
  initial_accumulator_value: 'initialAccumulatorValue',
};

/** Make an optimizer by name; unknown names and unknown options are errors. */
export function makeOptimizer(name: string, store: ParamStore, config: OptimizerConfig): Optimizer {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) o[renames[k] ?? k] = v;
  const known: Record<OptimizerName, string[]> = {
    sgd: ['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay'],
    rmsprop: ['lr', 'alpha', 'eps', 'momentum', 'centered', 'weightDecay'],
    adagrad: ['lr', 'lrDecay', 'eps', 'initialAccumulatorValue', 'weightDecay'],
    adam: ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad'],
    adamw: ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad'],
  };
  if (!(optimizerNames as readonly string[]).includes(name)) {
    throw new ArgumentError('makeOptimizer', 'name', `one of ${optimizerNames.join(', ')}`, name);
  }
  for (const k of Object.keys(o)) {
    if (!known[name as OptimizerName].includes(k))
      throw new ArgumentError(name, 'options', `keys among ${known[name as OptimizerName].join(', ')}`, `'${k}'`, true);
  }
  switch (name as OptimizerName) {
    case 'sgd':
      return new SGD(store, o as unknown as SgdOptions);
    case 'rmsprop':
      return new RMSprop(store, o as unknown as RmspropOptions);
    case 'adagrad':
      return new Adagrad(store, o as unknown as AdagradOptions);
    case 'adam':
      return new Adam(store, o as unknown as AdamOptions);
    case 'adamw':
      return new AdamW(store, o as unknown as AdamOptions);
  }
}

/** A range a hyperparameter must lie in, as PyTorch's optimizers check it. */
interface Range {
  holds(v: number): boolean;
  text: string;
}
const atLeast = (min: number): Range => ({ holds: (v) => v >= min, text: `a finite number ≥ ${min}` });
const inUnit: Range = { holds: (v) => v >= 0 && v < 1, text: 'a number in [0, 1)' };
/**
 * RMSprop's α: PyTorch checks only α ≥ 0, but s = αs + (1−α)g² is an average only for α ≤ 1;
 * above 1 the weight on g² is negative, s turns negative and √s is NaN at the first step, and
 * at 1 s stays 0 and every step is g/ε. So α must lie in [0, 1).
 */
const smoothing: Range = {
  holds: (v) => v >= 0 && v < 1,
  text: 'a number in [0, 1) (the weight of the old average of g²)',
};
const anyFinite: Range = { holds: () => true, text: 'a finite number' };

function checkHyper(where: string, name: string, v: unknown, range: Range): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !range.holds(v))
    throw new ArgumentError(where, name, range.text, v);
  return v;
}

function checkFlag(where: string, name: string, v: unknown): boolean {
  if (v !== undefined && typeof v !== 'boolean') throw new ArgumentError(where, name, 'true or false', v);
  return v ?? false;
}
