// A loop over n float32 elements, four lanes at a time, for the pointwise wasm kernels.
//
//   for j < n − n mod 4, step 4:   body on lanes j … j+3    (v128.load / v128.store)
//   for the last n mod 4, step 1:  body on lane 0 alone     (v128.load32_zero / v128.store32_lane)
//
// The body is emitted twice, once for each way of reading and writing, from the same
// emitter, so the tail runs exactly the arithmetic the vector part does (a float in lane 0
// is computed by the same f32x4 instructions as one in lane 2). Nothing is read or written
// past element n − 1, so a kernel may work on a view into a larger buffer.
import { Type, type FunctionBuilder, type Local } from './builder.js';

/** How a body reads and writes element j of an array at a byte address. */
export interface LaneIO {
  /** How many lanes hold elements: 4, or 1 in the tail (lane 0; the others are zero). */
  width: 1 | 4;
  /** Push the lanes at base + 4j. */
  load(base: Local): void;
  /** Push the lanes at base + 4j with the tail's one element in every lane (for a maximum, say). */
  spread(base: Local): void;
  /** Store `value`'s lanes at base + 4j. */
  store(base: Local, value: Local): void;
}

/** Emit `body` over n elements (n an i32 local); `body` may be called twice, so it must only emit. */
export function laneLoop(f: FunctionBuilder, n: Local, body: (io: LaneIO) => void): void {
  const j = f.local(Type.i32),
    end = f.local(Type.i32);
  const at = (base: Local) => f.localGet(base).localGet(j).i32Add();
  const vector: LaneIO = {
    width: 4,
    load: (base) => at(base).v128Load(),
    spread: (base) => at(base).v128Load(),
    store: (base, value) => at(base).localGet(value).v128Store(),
  };
  const single: LaneIO = {
    width: 1,
    load: (base) => at(base).v128Load32Zero(),
    spread: (base) => at(base).v128Load32Splat(),
    store: (base, value) => at(base).localGet(value).v128Store32Lane(0),
  };
  // j counts bytes from 0: the vector part ends at 4·(n − n mod 4), the tail at 4n.
  f.i32Const(0).localSet(j);
  f.localGet(n).i32Const(-4).i32And().i32Const(4).i32Mul().localSet(end);
  loopTo(f, j, end, 16, () => body(vector));
  f.localGet(n).i32Const(4).i32Mul().localSet(end);
  loopTo(f, j, end, 4, () => body(single));
}

function loopTo(f: FunctionBuilder, j: Local, end: Local, step: number, body: () => void): void {
  f.block(() =>
    f.loop(() => {
      f.localGet(j).localGet(end).i32GeS().brIf(1);
      body();
      f.localGet(j).i32Const(step).i32Add().localSet(j);
      f.br(0);
    }),
  );
}
