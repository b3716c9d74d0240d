// The dense layers around a recurrent core: Linear (y = x W + b, the read-out per step)
// and Embedding (token → vector). Their parameters are declared in a ParamStore, usually
// one shared with the rest of the model: the owner allocates the store once every module
// has declared, then calls initialize(rng) on each (a new Linear holds zeros until then).
//
//   Linear:    x [..., in] → y [..., out],  W [in, out], b [out]
//              (stored [in, out] so that y = x·W is one row-major GEMM; its state dict gives
//              PyTorch's nn.Linear layout, weight [out, in] = Wᵀ, and bias [out])
//   Embedding: tokens (any shape) → [..., dim],  E [vocab, dim] (state dict: weight [vocab, dim])
import {
  ArgumentError,
  ops,
  shapeStr,
  type ParamStore,
  type Rng,
  type Shape,
  type Tape,
  Tensor,
} from '../core/index.js';
import { Module } from './module.js';
import { prefixed, sameLayout, transposed, type StateMapping } from './stateDict.js';

export class Linear extends Module {
  readonly W: Tensor;
  readonly b: Tensor | null;

  constructor(
    readonly store: ParamStore,
    readonly name: string,
    readonly inputSize: number,
    readonly outputSize: number,
    bias = true,
  ) {
    super();
    for (const [k, v] of [
      ['inputSize', inputSize],
      ['outputSize', outputSize],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new ArgumentError(name, k, 'a positive integer', v);
    }
    this.W = store.add(`${name}.W`, [inputSize, outputSize]);
    this.b = bias ? store.add(`${name}.b`, [outputSize]) : null;
  }

  /** PyTorch's nn.Linear default: uniform in ±1/√in for W and b. */
  initialize(rng: Rng): void {
    const bound = 1 / Math.sqrt(this.inputSize);
    rng.fillUniform(this.W.data, -bound, bound);
    if (this.b !== null) rng.fillUniform(this.b.data, -bound, bound);
  }

  /** x [..., in] → [..., out]: leading axes are flattened into rows for one GEMM. */
  forward(tape: Tape | null, x: Tensor): Tensor {
    const lead = x.shape.slice(0, -1);
    if (x.shape[x.shape.length - 1] !== this.inputSize) {
      throw new ArgumentError(this.name, 'x', `a tensor ending in ${this.inputSize} features`, shapeStr(x.shape), true);
    }
    const rows = ops.reshape(tape, x, [x.size / this.inputSize, this.inputSize]);
    let y = ops.matmul(tape, rows, this.W);
    if (this.b !== null) y = ops.add(tape, y, this.b);
    const out = ops.reshape(tape, y, [...lead, this.outputSize]);
    out.layout = x.layout;
    return out;
  }

  parameterCount(): number {
    return this.W.size + (this.b?.size ?? 0);
  }

  /** nn.Linear's names and layout: weight [out, in] (our W transposed), bias [out]. */
  stateMappings(prefix = ''): StateMapping[] {
    return prefixed(prefix, [transposed('weight', this.W), ...(this.b === null ? [] : [sameLayout('bias', this.b)])]);
  }

  protected moduleName(): string {
    return this.name;
  }
}

export class Embedding extends Module {
  readonly E: Tensor;

  constructor(
    readonly store: ParamStore,
    readonly name: string,
    readonly vocabSize: number,
    readonly dim: number,
  ) {
    super();
    for (const [k, v] of [
      ['vocabSize', vocabSize],
      ['dim', dim],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new ArgumentError(name, k, 'a positive integer', v);
    }
    this.E = store.add(`${name}.E`, [vocabSize, dim]);
  }

  /** PyTorch's nn.Embedding default: standard normal. */
  initialize(rng: Rng): void {
    rng.fillNormal(this.E.data, 0, 1);
  }

  /** tokens of the given shape → [...shape, dim]. */
  forward(tape: Tape | null, tokens: ArrayLike<number>, shape: Shape): Tensor {
    return ops.embedding(tape, this.E, tokens, shape);
  }

  parameterCount(): number {
    return this.E.size;
  }

  /** nn.Embedding's name and layout: weight [vocab, dim]. */
  stateMappings(prefix = ''): StateMapping[] {
    return prefixed(prefix, [sameLayout('weight', this.E)]);
  }

  protected moduleName(): string {
    return this.name;
  }
}
