// The parameter store: every parameter of a model lives in one flat data buffer and its
// gradient in a second flat buffer of the same layout (as in llm.c and char-rnn). Each
// named parameter is a Tensor whose data and grad are views into those buffers, so an
// optimizer is one loop over `data`/`grad` and clipping is one norm over `grad`.
//
// Built in two phases, as llm.c's malloc_and_point: every module first declares its
// parameters (`add`), then the owner of the model calls `allocate()` once, which makes the
// two buffers and points each tensor at its views. A tensor's data therefore never
// re-points, and nothing can be added after allocation.
import type { Buf } from '../kernels/js/types.js';
import { allocPinned, type DType } from './alloc.js';
import { ArgumentError } from './errors.js';
import { checkShape, shapeStr, sizeOf, type Shape } from './shape.js';
import { Tensor } from './tensor.js';

interface Slot {
  tensor: Tensor;
  offset: number;
}

export class ParamStore {
  readonly dtype: DType;
  private buffers: { data: Buf; grad: Buf } | null = null;
  private slots = new Map<string, Slot>();
  private used = 0;

  constructor(dtype: DType = 'f32') {
    if (dtype !== 'f32' && dtype !== 'f64') throw new ArgumentError('ParamStore', 'dtype', "'f32' or 'f64'", dtype);
    this.dtype = dtype;
  }

  /** Declare a parameter. Its tensor's data and grad (zeros) exist once the store is allocated. */
  add(name: string, shape: Shape): Tensor {
    if (typeof name !== 'string' || name === '')
      throw new ArgumentError('ParamStore.add', 'name', 'a non-empty string', name);
    if (this.buffers !== null) {
      throw new Error(
        `ParamStore.add: cannot add ${name}: the store is allocated already; declare every parameter before allocate()`,
      );
    }
    if (this.slots.has(name)) throw new ArgumentError('ParamStore.add', 'name', 'a name not yet in the store', name);
    const size = sizeOf(checkShape('ParamStore.add', shape));
    const tensor = Tensor.declared(shape, this.dtype, { requiresGrad: true, name });
    this.slots.set(name, { tensor, offset: this.used });
    this.used += size;
    return tensor;
  }

  /** Make the flat buffers (zeros) and point every declared tensor at its views. Once. */
  allocate(): this {
    if (this.buffers !== null) throw new Error('ParamStore.allocate: the store is allocated already');
    const data = allocPinned(this.dtype, this.used),
      grad = allocPinned(this.dtype, this.used);
    for (const { tensor, offset } of this.slots.values()) {
      tensor.bind(data.subarray(offset, offset + tensor.size), grad.subarray(offset, offset + tensor.size));
    }
    this.buffers = { data, grad };
    return this;
  }

  get allocated(): boolean {
    return this.buffers !== null;
  }

  /** All parameter values, back to back in the order they were declared. */
  get data(): Buf {
    return this.allocatedBuffers().data;
  }

  /** All gradients, same layout as `data`. */
  get grad(): Buf {
    return this.allocatedBuffers().grad;
  }

  private allocatedBuffers(): { data: Buf; grad: Buf } {
    if (this.buffers === null)
      throw new Error(
        `ParamStore: the store is not allocated yet (${this.slots.size} parameters declared); call allocate() first`,
      );
    return this.buffers;
  }

  get(name: string): Tensor {
    const slot = this.slots.get(name);
    if (slot === undefined) {
      throw new ArgumentError(
        'ParamStore.get',
        'name',
        `one of the store's parameters (${[...this.slots.keys()].join(', ') || 'none'})`,
        name,
      );
    }
    return slot.tensor;
  }

  has(name: string): boolean {
    return this.slots.has(name);
  }

  /** The parameters in the order they were declared. */
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
      throw new ArgumentError(
        'ParamStore.set',
        'values',
        `${t.size} values for ${name} ${shapeStr(t.shape)}`,
        values.length,
      );
    }
    for (let q = 0; q < t.size; q++) t.data[q] = values[q];
  }
}
