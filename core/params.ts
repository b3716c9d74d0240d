// The parameter store: every parameter of a model lives in one flat data buffer and its
// gradient in a second flat buffer of the same layout (as in llm.c and char-rnn). Each
// named parameter is a Tensor whose data and grad are views into those buffers, so an
// optimizer is one loop over `data`/`grad` and clipping is one norm over `grad`.
import type { Buf } from '../kernels/types.js';
import { alloc, type DType } from './alloc.js';
import { checkShape, shapeStr, sizeOf, type Shape } from './shape.js';
import { Tensor } from './tensor.js';

interface Slot { tensor: Tensor; offset: number }

export class ParamStore {
  readonly dtype: DType;
  /** All parameter values, back to back in the order they were added. */
  data: Buf;
  /** All gradients, same layout as `data`. */
  grad: Buf;
  private slots = new Map<string, Slot>();
  private used = 0;

  constructor(dtype: DType = 'f32') {
    if (dtype !== 'f32' && dtype !== 'f64') throw new Error(`ParamStore: dtype must be 'f32' or 'f64', got ${String(dtype)}`);
    this.dtype = dtype;
    this.data = alloc(dtype, 0);
    this.grad = alloc(dtype, 0);
  }

  /**
   * Add a zero-filled parameter. The flat buffers grow, so the data and grad of tensors
   * added earlier are re-pointed into the new buffers: hold on to the Tensor, not its data.
   */
  add(name: string, shape: Shape): Tensor {
    if (typeof name !== 'string' || name === '') throw new Error(`ParamStore.add: name must be a non-empty string, got ${String(name)}`);
    if (this.slots.has(name)) throw new Error(`ParamStore.add: a parameter named ${name} exists already`);
    const size = sizeOf(checkShape('ParamStore.add', shape));
    const offset = this.used;
    this.grow(offset + size);
    const tensor = new Tensor(this.data.subarray(offset, offset + size), shape, { requiresGrad: true, name });
    tensor.grad = this.grad.subarray(offset, offset + size);
    this.slots.set(name, { tensor, offset });
    return tensor;
  }

  private grow(used: number): void {
    const data = alloc(this.dtype, used);
    const grad = alloc(this.dtype, used);
    data.set(this.data);
    grad.set(this.grad);
    this.data = data;
    this.grad = grad;
    this.used = used;
    for (const { tensor, offset } of this.slots.values()) {
      tensor.data = data.subarray(offset, offset + tensor.size);
      tensor.grad = grad.subarray(offset, offset + tensor.size);
    }
  }

  get(name: string): Tensor {
    const slot = this.slots.get(name);
    if (slot === undefined) {
      throw new Error(`ParamStore.get: no parameter named ${name}; the store holds ${[...this.slots.keys()].join(', ') || 'nothing'}`);
    }
    return slot.tensor;
  }

  has(name: string): boolean {
    return this.slots.has(name);
  }

  /** The parameters in the order they were added. */
  entries(): [string, Tensor][] {
    return [...this.slots].map(([name, slot]) => [name, slot.tensor]);
  }

  /** Where a parameter starts in the flat buffers. */
  offsetOf(name: string): number {
    this.get(name);
    return this.slots.get(name)!.offset;
  }

  /** Total number of scalar parameters. */
  get size(): number {
    return this.used;
  }

  zeroGrad(): void {
    this.grad.fill(0);
  }

  /** Copy values into a named parameter, checking the count. */
  set(name: string, values: ArrayLike<number>): void {
    const t = this.get(name);
    if (values.length !== t.size) {
      throw new Error(`ParamStore.set: ${name} ${shapeStr(t.shape)} holds ${t.size} values, got ${values.length}`);
    }
    for (let q = 0; q < t.size; q++) t.data[q] = values[q];
  }
}
