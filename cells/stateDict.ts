// State dicts: a module's parameters under PyTorch's names and layouts, and back.
//
// Each module describes its parameters as mappings: the PyTorch name (with the module's
// prefix, `rnn.weight_ih_l0`, `head.weight`), the PyTorch shape, our tensor, and for every
// value of theirs where it sits in ours. Export reads through the mapping, import writes
// through it; the layouts differ (PyTorch's Linear weight is [out, in], ours [in, out]; its
// LSTM gates are i, f, g, o, ours f, i, g, o), the values do not, so a round trip is exact.
//
// Loading is strict by default, as PyTorch's load_state_dict: a missing or unexpected key is
// an error naming every such key; `strict: false` loads the keys that match and reports the
// rest. A key of the wrong shape is an error either way. Values must be floats (a float typed
// array, or an array of numbers: a null, what JSON makes of NaN, is named as an error), are
// converted to the module's dtype first and must be finite there, and nothing is written
// unless all of it fits.
import { alloc, ArgumentError, checkFiniteValues, shapeStr, type Buf, type Tensor } from '../core/index.js';

export interface NamedArray {
  shape: readonly number[];
  data: ArrayLike<number>;
}
export type StateDict = Record<string, NamedArray>;

/** One tensor's conversion: our parameter, its PyTorch name and shape, and where each value goes. */
export interface StateMapping {
  name: string;
  shape: number[];
  ours: Tensor;
  /** ours.data[index[q]] ↔ theirs[q] */
  index: Int32Array;
  /** Where 1, theirs[q] = −ours.data[index[q]] (a GRU whose z writes, stored as PyTorch's z that keeps). Negation is exact. */
  negate?: Uint8Array;
}

export interface LoadOptions {
  /** Missing and unexpected keys are errors (default), or only reported. */
  strict?: boolean;
}

/** What a non-strict load left out, as PyTorch reports it. */
export interface LoadReport {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** Anything with a state dict: its parameters as mappings under PyTorch's names, prefixed. */
export interface StateModule {
  stateMappings(prefix?: string): StateMapping[];
}

/** A tensor that is the same in both layouts. */
export function sameLayout(name: string, t: Tensor): StateMapping {
  const index = alloc('i32', t.size);
  for (let q = 0; q < t.size; q++) index[q] = q;
  return { name, shape: [...t.shape], ours: t, index };
}

/** A matrix stored [rows, cols] here and [cols, rows] in PyTorch (a Linear weight: ours x·W, theirs W·x). */
export function transposed(name: string, t: Tensor): StateMapping {
  const [rows, cols] = t.shape;
  const index = alloc('i32', rows * cols);
  for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) index[c * rows + r] = r * cols + c;
  return { name, shape: [cols, rows], ours: t, index };
}

/** Mappings with a prefix put before every name. */
export function prefixed(prefix: string, mappings: StateMapping[]): StateMapping[] {
  return prefix === '' ? mappings : mappings.map((m) => ({ ...m, name: prefix + m.name }));
}

/** The module's parameters (or, with 'grad', their gradients) under PyTorch's names and layouts, as fresh arrays. */
export function stateDictOf(
  module: StateModule,
  which: 'data' | 'grad' = 'data',
): Record<string, { shape: number[]; data: Buf }> {
  const out: Record<string, { shape: number[]; data: Buf }> = {};
  for (const m of module.stateMappings()) {
    const source = which === 'data' ? m.ours.data : m.ours.ensureGrad();
    const data = alloc(m.ours.dtype, m.index.length);
    for (let q = 0; q < m.index.length; q++) data[q] = m.negate?.[q] ? -source[m.index[q]] : source[m.index[q]];
    out[m.name] = { shape: m.shape, data };
  }
  return out;
}

/** Load a state dict into a module (see the top of this file); `where` names the module in messages. */
export function loadStateDictInto(
  where: string,
  module: StateModule,
  dict: StateDict,
  options: LoadOptions = {},
): LoadReport {
  if (dict === null || typeof dict !== 'object')
    throw new ArgumentError(where, 'dict', 'an object of name → { shape, data }', dict);
  const strict = options.strict ?? true;
  const maps = module.stateMappings();
  const expected = new Set(maps.map((m) => m.name));
  const missingKeys = maps.map((m) => m.name).filter((k) => dict[k] === undefined);
  const unexpectedKeys = Object.keys(dict).filter((k) => !expected.has(k));
  if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
    const got = [
      missingKeys.length > 0 ? `missing ${missingKeys.join(', ')}` : '',
      unexpectedKeys.length > 0 ? `unexpected names ${unexpectedKeys.join(', ')}` : '',
    ]
      .filter((s) => s !== '')
      .join('; ');
    throw new ArgumentError(
      where,
      'dict',
      `exactly the names it expects (${[...expected].join(', ')}), or give strict: false`,
      got,
      true,
    );
  }
  const present = maps.filter((m) => dict[m.name] !== undefined);
  const converted = present.map((m) => {
    const t = dict[m.name];
    const shapeOk =
      Array.isArray(t.shape) && t.shape.length === m.shape.length && t.shape.every((d, q) => d === m.shape[q]);
    if (!shapeOk)
      throw new ArgumentError(
        where,
        m.name,
        shapeStr(m.shape),
        Array.isArray(t.shape) ? shapeStr(t.shape) : t.shape,
        Array.isArray(t.shape),
      );
    if (!(t.data instanceof Float32Array || t.data instanceof Float64Array || Array.isArray(t.data))) {
      throw new ArgumentError(
        where,
        `${m.name}.data`,
        'float values: a Float32Array, a Float64Array or an array of numbers (an F32, F64 or F16 tensor in a file)',
        t.data,
      );
    }
    if (t.data.length !== m.index.length)
      throw new ArgumentError(where, m.name, `${m.index.length} values for ${shapeStr(m.shape)}`, t.data.length);
    const values = alloc(m.ours.dtype, m.index.length);
    for (let q = 0; q < values.length; q++) {
      const v = t.data[q];
      if (typeof v !== 'number')
        throw new ArgumentError(where, `${m.name}[${q}]`, 'a number (JSON writes NaN and ±Infinity as null)', v);
      values[q] = v;
    }
    checkFiniteValues(where, m.name, values, `; values must be finite in ${m.ours.dtype}`);
    return values;
  });
  present.forEach((m, k) => {
    const values = converted[k];
    for (let q = 0; q < m.index.length; q++) m.ours.data[m.index[q]] = m.negate?.[q] ? -values[q] : values[q];
  });
  return { missingKeys, unexpectedKeys };
}
