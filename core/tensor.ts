// A tensor: a shape, a flat row-major buffer, and a gradient buffer made on first need.
import type { Buf } from '../kernels/js/types.js';
import { allocScoped, dtypeOf, type DType } from './alloc.js';
import { trackGrad, trackTensor, type ScopedTensor } from './scope.js';
import { checkShape, shapeStr, sizeOf, type Shape } from './shape.js';
import { ArgumentError } from './errors.js';

export interface TensorOptions {
  /** Whether ops on this tensor are recorded so that a gradient can reach it. */
  requiresGrad?: boolean;
  /** A name for messages and reports. */
  name?: string;
}

/** Stands in for the data of a declared parameter until its store is allocated. */
const DECLARED = Symbol('declared');

export class Tensor implements ScopedTensor {
  readonly shape: Shape;
  readonly dtype: DType;
  readonly size: number;
  private values: Buf | null;
  /** Why the buffer was freed (see scope.ts), or null while the tensor lives. */
  private released: string | null = null;
  /** ∂loss/∂this, same layout as data; null until a gradient first reaches it. */
  grad: Buf | null = null;
  requiresGrad: boolean;
  name: string;
  /**
   * Which axes a sequence tensor's first two are, when something knows: a recurrent layer
   * tags its output y 'time-major' [T, B, …] or 'batch-first' [B, T, …], and Linear keeps
   * the tag, so that lastStep reads the right rows without being told.
   */
  layout: 'time-major' | 'batch-first' | null = null;

  /** declaredDtype is for Tensor.declared only. */
  constructor(data: Buf, shape: Shape, options: TensorOptions = {}, declaredDtype: DType = 'f32') {
    const declared = (data as unknown) === DECLARED;
    if (!declared && !(data instanceof Float32Array || data instanceof Float64Array)) {
      throw new ArgumentError('Tensor', 'data', 'a Float32Array or Float64Array', data);
    }
    this.shape = Object.freeze([...checkShape('Tensor', shape)]);
    this.size = sizeOf(this.shape);
    if (!declared && data.length !== this.size) {
      throw new ArgumentError('Tensor', 'data', `${this.size} values for shape ${shapeStr(this.shape)}`, data.length);
    }
    this.values = declared ? null : data;
    this.dtype = declared ? declaredDtype : dtypeOf(data);
    this.requiresGrad = options.requiresGrad ?? false;
    this.name = options.name ?? '';
    if (!declared) trackTensor(this);
  }

  /** The values, row-major. A tensor's data never changes buffer once it has one. */
  get data(): Buf {
    if (this.values === null) {
      if (this.released !== null) {
        throw new Error(
          `Tensor: ${this.name || 'this tensor'} was freed because ${this.released}; return it from its scope or keep() it, or copy its values (t.data.slice()) while it lives`,
        );
      }
      throw new Error(
        `Tensor: ${this.name || 'this parameter'} is declared, but its store is not allocated yet; call store.allocate() after declaring every parameter`,
      );
    }
    return this.values;
  }

  /** The values, or null for a declared parameter or a released tensor (for scopes, which must not throw). */
  get dataIfAny(): Buf | null {
    return this.values;
  }

  /** Whether the tensor's buffer was freed (its scope ended, or it was disposed). */
  get isReleased(): boolean {
    return this.released !== null;
  }

  /** Its buffers were freed (scope.ts): from now on reading the data is an error naming `why`. */
  release(why: string): void {
    this.values = null;
    this.grad = null;
    this.released = why;
  }

  /** A parameter declared in a store: its data (and grad) arrive once, when the store is allocated. */
  static declared(shape: Shape, dtype: DType, options: TensorOptions = {}): Tensor {
    return new Tensor(DECLARED as unknown as Buf, shape, options, dtype);
  }

  /** Give a declared tensor its buffers: once, from its store's allocate(). */
  bind(data: Buf, grad: Buf): void {
    if (this.values !== null)
      throw new Error(
        `Tensor.bind: ${this.name || 'this tensor'} has its data already; a tensor's data never re-points`,
      );
    if (data.length !== this.size || grad.length !== this.size || dtypeOf(data) !== this.dtype) {
      throw new Error(`Tensor.bind: ${this.name} needs ${this.size} ${this.dtype} values, got ${data.length}`);
    }
    this.values = data;
    this.grad = grad;
  }

  /** A tensor of zeros. */
  static zeros(shape: Shape, dtype: DType = 'f32', options: TensorOptions = {}): Tensor {
    return new Tensor(allocScoped(dtype, sizeOf(checkShape('Tensor.zeros', shape))), shape, options);
  }

  /** A tensor holding a copy of `values` (row-major). */
  static from(values: ArrayLike<number>, shape: Shape, dtype: DType = 'f32', options: TensorOptions = {}): Tensor {
    const t = Tensor.zeros(shape, dtype, options);
    if (values.length !== t.size) {
      throw new ArgumentError(
        'Tensor.from',
        'values',
        `the ${t.size} values that shape ${shapeStr(shape)} holds`,
        values.length,
      );
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
    if (this.grad === null) {
      this.grad = allocScoped(this.dtype, this.size);
      trackGrad(this);
    }
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
