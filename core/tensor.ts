// A tensor: a shape, a flat row-major buffer, and a gradient buffer made on first need.
import type { Buf } from '../kernels/types.js';
import { alloc, dtypeOf, type DType } from './alloc.js';
import { checkShape, shapeStr, sizeOf, type Shape } from './shape.js';

export interface TensorOptions {
  /** Whether ops on this tensor are recorded so that a gradient can reach it. */
  requiresGrad?: boolean;
  /** A name for messages and reports. */
  name?: string;
}

export class Tensor {
  readonly shape: Shape;
  readonly dtype: DType;
  readonly size: number;
  /** The values, row-major. A parameter store may move them to a new buffer as it grows. */
  data: Buf;
  /** ∂loss/∂this, same layout as data; null until a gradient first reaches it. */
  grad: Buf | null = null;
  requiresGrad: boolean;
  name: string;

  constructor(data: Buf, shape: Shape, options: TensorOptions = {}) {
    if (!(data instanceof Float32Array || data instanceof Float64Array)) {
      throw new Error(`Tensor: data must be a Float32Array or Float64Array, got ${describe(data)}`);
    }
    this.shape = Object.freeze([...checkShape('Tensor', shape)]);
    this.size = sizeOf(this.shape);
    if (data.length !== this.size) {
      throw new Error(`Tensor: shape ${shapeStr(this.shape)} holds ${this.size} values, but data has ${data.length}`);
    }
    this.data = data;
    this.dtype = dtypeOf(data);
    this.requiresGrad = options.requiresGrad ?? false;
    this.name = options.name ?? '';
  }

  /** A tensor of zeros. */
  static zeros(shape: Shape, dtype: DType = 'f32', options: TensorOptions = {}): Tensor {
    return new Tensor(alloc(dtype, sizeOf(checkShape('Tensor.zeros', shape))), shape, options);
  }

  /** A tensor holding a copy of `values` (row-major). */
  static from(values: ArrayLike<number>, shape: Shape, dtype: DType = 'f32', options: TensorOptions = {}): Tensor {
    const t = Tensor.zeros(shape, dtype, options);
    if (values.length !== t.size) {
      throw new Error(`Tensor.from: shape ${shapeStr(shape)} holds ${t.size} values, but ${values.length} were given`);
    }
    for (let q = 0; q < t.size; q++) t.data[q] = values[q];
    return t;
  }

  /** A scalar tensor (shape []). */
  static scalar(value: number, dtype: DType = 'f32', options: TensorOptions = {}): Tensor {
    return Tensor.from([value], [], dtype, options);
  }

  /** The gradient buffer, made (zeroed) if no gradient has reached this tensor yet. */
  ensureGrad(): Buf {
    if (this.grad === null) this.grad = alloc(this.dtype, this.size);
    return this.grad;
  }

  zeroGrad(): void {
    if (this.grad !== null) this.grad.fill(0);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new Error(`Tensor.item: expected one element, shape is ${shapeStr(this.shape)}`);
    return this.data[0];
  }

  toArray(): number[] {
    return Array.from(this.data);
  }

  /** What a message should call this tensor: its name, or the fallback. */
  label(fallback: string): string {
    return this.name === '' ? fallback : `${fallback} (${this.name})`;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
