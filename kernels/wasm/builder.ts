// A small WebAssembly module builder: enough of the binary format to write the project's
// kernels in TypeScript, as bytecode made at load time (no toolchain, no committed binary).
//
// A module here is: function types, one imported memory, functions with their locals, and
// exports. The encodings follow the WebAssembly Core Specification (version 2.0), chapter 5
// "Binary Format": modules (§5.5: the magic and version, sections by id), types (§5.3:
// i32 0x7f, i64 0x7e, f32 0x7d, f64 0x7c, functype 0x60, limits), instructions (§5.4), and
// integers as LEB128 (§5.2.2); and for SIMD, the proposal's BinarySIMD.md (the 0xfd prefix,
// v128 0x7b, each simdop as a LEB128 u32). A shared memory's limits carry flag 0x03 (the
// threads proposal: bit 0 a maximum is present, bit 1 shared).
//
// Kernels are written against FunctionBuilder, whose methods are named after the
// instructions of the text format (f.localGet(i), f.f32x4Mul(), f.loop(() => ...)), so that a
// kernel reads as a program, not as bytes.

export const enum Type {
  i32 = 0x7f,
  i64 = 0x7e,
  f32 = 0x7d,
  f64 = 0x7c,
  v128 = 0x7b,
}

/** Bytes being written: unsigned and signed LEB128, raw bytes, names, and floats little-endian. */
class Bytes {
  readonly out: number[] = [];

  byte(...b: number[]): this {
    this.out.push(...b);
    return this;
  }

  /** Unsigned LEB128: seven bits a byte, low first, the high bit set on every byte but the last. */
  u32(value: number): this {
    let v = value >>> 0;
    do {
      const b = v & 0x7f;
      v >>>= 7;
      this.out.push(v === 0 ? b : b | 0x80);
    } while (v !== 0);
    return this;
  }

  /** Signed LEB128 of a 32-bit integer: stop once the remaining bits are all copies of the sign bit. */
  s32(value: number): this {
    let v = value | 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.out.push(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  f32(value: number): this {
    const view = new DataView(new ArrayBuffer(4));
    view.setFloat32(0, value, true);
    return this.byte(...new Uint8Array(view.buffer));
  }

  name(text: string): this {
    const utf8 = new TextEncoder().encode(text);
    return this.u32(utf8.length).byte(...utf8);
  }

  /** A vector: its length, then its items. */
  vec<T>(items: readonly T[], each: (item: T, out: Bytes) => void): this {
    this.u32(items.length);
    for (const item of items) each(item, this);
    return this;
  }

  /** A section: its id and its size in bytes, then its contents. */
  section(id: number, contents: Bytes): this {
    return this.byte(id)
      .u32(contents.out.length)
      .byte(...contents.out);
  }
}

/** A local variable (or a parameter) of a function, by index. */
export interface Local {
  readonly index: number;
  readonly type: Type;
}

/** Natural alignment as the log2 of the access size in bytes, for a memarg. */
const ALIGN = { f32: 2, i32: 2, f64: 3, v128: 4 } as const;

/**
 * One function's body. Each method appends one instruction (with its immediates), named
 * after the instruction it emits; memory offsets are in bytes.
 */
/** Four lanes of one value: the operand of v128Const or i32x4Const for a constant splat over a vector. */
export function splat(v: number): [number, number, number, number] {
  return [v, v, v, v];
}

export class FunctionBuilder {
  private readonly code = new Bytes();
  private readonly locals: Type[] = [];
  readonly params: Local[];

  constructor(
    readonly paramTypes: readonly Type[],
    readonly resultTypes: readonly Type[],
  ) {
    this.params = paramTypes.map((type, index) => ({ index, type }));
  }

  /** A new local of the given type (zero at entry). */
  local(type: Type): Local {
    this.locals.push(type);
    return { index: this.paramTypes.length + this.locals.length - 1, type };
  }

  // Control (§5.4.1). A block's or loop's body is a callback; br/br_if count enclosing labels.
  block(body: () => void): this {
    return this.structured(0x02, body);
  }
  loop(body: () => void): this {
    return this.structured(0x03, body);
  }
  if(body: () => void): this {
    return this.structured(0x04, body);
  }
  br(depth: number): this {
    return this.withIndex(0x0c, depth);
  }
  brIf(depth: number): this {
    return this.withIndex(0x0d, depth);
  }
  /** Call a function of this module by its index (the order functions were added in). */
  call(index: number): this {
    return this.withIndex(0x10, index);
  }

  // Variables (§5.4.4).
  localGet(l: Local): this {
    return this.withIndex(0x20, l.index);
  }
  localSet(l: Local): this {
    return this.withIndex(0x21, l.index);
  }
  localTee(l: Local): this {
    return this.withIndex(0x22, l.index);
  }

  // Memory (§5.4.6): memarg = alignment (log2), then offset.
  f32Load(offset = 0): this {
    return this.mem(0x2a, ALIGN.f32, offset);
  }
  f32Store(offset = 0): this {
    return this.mem(0x38, ALIGN.f32, offset);
  }
  f64Store(offset = 0): this {
    return this.mem(0x39, ALIGN.f64, offset);
  }

  // Numeric (§5.4.7).
  i32Const(v: number): this {
    this.code.byte(0x41).s32(v);
    return this;
  }
  f32Const(v: number): this {
    this.code.byte(0x43).f32(v);
    return this;
  }
  i32Eq(): this {
    return this.op(0x46);
  }
  i32Ne(): this {
    return this.op(0x47);
  }
  i32LtS(): this {
    return this.op(0x48);
  }
  i32LtU(): this {
    return this.op(0x49);
  }
  i32GtS(): this {
    return this.op(0x4a);
  }
  i32LeS(): this {
    return this.op(0x4c);
  }
  i32GeS(): this {
    return this.op(0x4e);
  }
  i32Add(): this {
    return this.op(0x6a);
  }
  i32Sub(): this {
    return this.op(0x6b);
  }
  i32Mul(): this {
    return this.op(0x6c);
  }
  i32And(): this {
    return this.op(0x71);
  }
  f32Add(): this {
    return this.op(0x92);
  }
  f64Const(v: number): this {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, v, true);
    this.code.byte(0x44, ...new Uint8Array(view.buffer));
    return this;
  }
  f64Eq(): this {
    return this.op(0x61);
  }
  f64Add(): this {
    return this.op(0xa0);
  }
  f64Mul(): this {
    return this.op(0xa2);
  }
  f64Div(): this {
    return this.op(0xa3);
  }
  f32DemoteF64(): this {
    return this.op(0xb6);
  }
  f64PromoteF32(): this {
    return this.op(0xbb);
  }
  select(): this {
    return this.op(0x1b);
  }
  /** memory.fill (bulk memory, §5.4.6: 0xfc 11, memory 0): [address, byte value, count] → []. */
  memoryFill(): this {
    this.code.byte(0xfc).u32(11).byte(0x00);
    return this;
  }

  // SIMD (BinarySIMD.md): 0xfd, then the simdop as LEB128, then any immediates.
  v128Load(offset = 0): this {
    return this.simdMem(0x00, ALIGN.v128, offset);
  }
  v128Load32Splat(offset = 0): this {
    return this.simdMem(0x09, ALIGN.f32, offset);
  }
  v128Store(offset = 0): this {
    return this.simdMem(0x0b, ALIGN.v128, offset);
  }
  /** One float into lane 0, the other lanes zero. */
  v128Load32Zero(offset = 0): this {
    return this.simdMem(0x5c, ALIGN.f32, offset);
  }
  /** Store one lane's float. */
  v128Store32Lane(lane: number, offset = 0): this {
    this.simdMem(0x5a, ALIGN.f32, offset);
    this.code.byte(lane);
    return this;
  }
  /** A v128 constant of four float32 lanes. */
  v128Const(lanes: readonly [number, number, number, number]): this {
    return this.const16((view, q) => view.setFloat32(4 * q, lanes[q], true));
  }
  /** A v128 constant of four int32 lanes. */
  i32x4Const(lanes: readonly [number, number, number, number]): this {
    return this.const16((view, q) => view.setInt32(4 * q, lanes[q], true));
  }
  /**
   * i8x16.shuffle of two v128 as four float lanes: lane q of the result is lane lanes[q] of
   * the pair (0–3 the first operand, 4–7 the second), written as its four byte indices.
   */
  f32x4Shuffle(lanes: readonly [number, number, number, number]): this {
    this.simd(0x0d);
    for (const lane of lanes) this.code.byte(4 * lane, 4 * lane + 1, 4 * lane + 2, 4 * lane + 3);
    return this;
  }
  f32x4Splat(): this {
    return this.simd(0x13);
  }
  i32x4Splat(): this {
    return this.simd(0x11);
  }
  f64x2ExtractLane(lane: number): this {
    this.simd(0x21);
    this.code.byte(lane);
    return this;
  }
  f32x4ExtractLane(lane: number): this {
    this.simd(0x1f);
    this.code.byte(lane);
    return this;
  }
  f32x4Gt(): this {
    return this.simd(0x44);
  }
  f32x4Ge(): this {
    return this.simd(0x46);
  }
  v128Not(): this {
    return this.simd(0x4d);
  }
  v128And(): this {
    return this.simd(0x4e);
  }
  v128Or(): this {
    return this.simd(0x50);
  }
  v128Xor(): this {
    return this.simd(0x51);
  }
  v128Bitselect(): this {
    return this.simd(0x52);
  }
  i32x4Shl(): this {
    return this.simd(0xab);
  }
  i32x4ShrS(): this {
    return this.simd(0xac);
  }
  i32x4Add(): this {
    return this.simd(0xae);
  }
  i32x4Sub(): this {
    return this.simd(0xb1);
  }
  f32x4Add(): this {
    return this.simd(0xe4);
  }
  f32x4Sub(): this {
    return this.simd(0xe5);
  }
  f32x4Mul(): this {
    return this.simd(0xe6);
  }
  f32x4Div(): this {
    return this.simd(0xe7);
  }
  /** The pseudo-maximum pmax(a, b) = a < b ? b : a (a NaN a is kept): one maxps on x86, where max takes several. */
  f32x4Pmax(): this {
    return this.simd(0xeb);
  }
  f64x2Add(): this {
    return this.simd(0xf0);
  }
  f64x2Mul(): this {
    return this.simd(0xf2);
  }
  /** The two low float lanes, widened to f64x2. */
  f64x2PromoteLowF32x4(): this {
    return this.simd(0x5f);
  }

  /** The function's code entry (§5.5.13): its locals, grouped by runs of one type, then its body and end. */
  encode(): number[] {
    const runs: [number, Type][] = [];
    for (const t of this.locals) {
      const last = runs.at(-1);
      if (last !== undefined && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    const body = new Bytes()
      .vec(runs, ([count, type], out) => out.u32(count).byte(type))
      .byte(...this.code.out)
      .byte(0x0b);
    return new Bytes().u32(body.out.length).byte(...body.out).out;
  }

  private structured(opcode: number, body: () => void): this {
    this.code.byte(opcode, 0x40);
    body();
    this.code.byte(0x0b);
    return this;
  }

  private op(opcode: number): this {
    this.code.byte(opcode);
    return this;
  }

  /** An instruction with one index immediate (a local, a label depth). */
  private withIndex(opcode: number, index: number): this {
    this.code.byte(opcode).u32(index);
    return this;
  }

  private mem(opcode: number, align: number, offset: number): this {
    this.code.byte(opcode).u32(align).u32(offset);
    return this;
  }

  private simd(simdop: number): this {
    this.code.byte(0xfd).u32(simdop);
    return this;
  }

  private const16(write: (view: DataView, lane: number) => void): this {
    this.simd(0x0c);
    const view = new DataView(new ArrayBuffer(16));
    for (let q = 0; q < 4; q++) write(view, q);
    this.code.byte(...new Uint8Array(view.buffer));
    return this;
  }

  private simdMem(simdop: number, align: number, offset: number): this {
    this.code.byte(0xfd).u32(simdop).u32(align).u32(offset);
    return this;
  }
}

interface FunctionEntry {
  name: string;
  fn: FunctionBuilder;
}

/** A module: one imported memory (`env.memory`), functions, each exported under its name. */
export class ModuleBuilder {
  private readonly functions: FunctionEntry[] = [];

  constructor(readonly memory: { initial: number; maximum: number; shared: boolean }) {}

  /** Add a function, exported as `name`; `body` writes its instructions. */
  function(
    name: string,
    params: readonly Type[],
    results: readonly Type[],
    body: (f: FunctionBuilder, ...args: Local[]) => void,
  ): this {
    const fn = new FunctionBuilder(params, results);
    body(fn, ...fn.params);
    this.functions.push({ name, fn });
    return this;
  }

  /** The module's bytes (§5.5): magic, version, then the type, import, function, export and code sections. */
  build(): Uint8Array<ArrayBuffer> {
    const sig = (f: FunctionBuilder) => `${f.paramTypes.join(',')}>${f.resultTypes.join(',')}`;
    const signatures = [...new Set(this.functions.map((e) => sig(e.fn)))];
    const types = new Bytes().vec(signatures, (s, out) => {
      const [params, results] = s.split('>').map((part) => (part === '' ? [] : part.split(',').map(Number)));
      out
        .byte(0x60)
        .vec(params, (t) => out.byte(t))
        .vec(results, (t) => out.byte(t));
    });
    const { initial, maximum, shared } = this.memory;
    const imports = new Bytes()
      .u32(1)
      .name('env')
      .name('memory')
      .byte(0x02)
      .byte(shared ? 0x03 : 0x01)
      .u32(initial)
      .u32(maximum);
    const funcs = new Bytes().vec(this.functions, (e, out) => out.u32(signatures.indexOf(sig(e.fn))));
    const exports = new Bytes().vec(this.functions, (e, out) =>
      out.name(e.name).byte(0x00).u32(this.functions.indexOf(e)),
    );
    const code = new Bytes().vec(this.functions, (e, out) => out.byte(...e.fn.encode()));
    const module = new Bytes()
      .byte(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00)
      .section(1, types)
      .section(2, imports)
      .section(3, funcs)
      .section(7, exports)
      .section(10, code);
    return Uint8Array.from(module.out);
  }
}
