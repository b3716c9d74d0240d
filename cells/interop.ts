// PyTorch interop: a layer's parameters as a state dict of nn.RNN / nn.LSTM / nn.GRU
// names and layouts, and back.
//
//   ours:    W [I+H, G·H]  (x·W, gate blocks f, i, g, o for an LSTM; r, z, n for a GRU)
//   PyTorch: weight_ih_l{k}[_reverse] [G·H, I], weight_hh_l{k}[_reverse] [G·H, H]
//            (W·x, gate blocks i, f, g, o for an LSTM; r, z, n for a GRU),
//            bias_ih_l{k}, bias_hh_l{k} [G·H]
//
// Beyond PyTorch's modules, the same scheme names what they lack: a single bias
// `bias_l{k}`, peepholes `peep_i_l{k}` …, the full-gate-recurrence matrix `weight_fgr_l{k}`
// ([3H, 3H], blocks i, f, o, acting as W·g), and the MUT matrices `W_xz_l{k}` … stored
// [out, in]. Values are copied as they are, so export(import(s)) gives back every tensor
// bit for bit when s holds values of the layer's dtype.
import { ArgumentError, alloc, checkFiniteValues, shapeStr, type Buf, type Tensor } from '../core/index.js';
import type { Cell } from './cell.js';
import type { RecurrentLayer } from './layer.js';
import { LstmCell } from './lstm.js';
import { MutCell } from './mut.js';

export interface NamedArray {
  shape: readonly number[];
  data: ArrayLike<number>;
}
export type StateDict = Record<string, NamedArray>;

type Gate = 'f' | 'i' | 'g' | 'o' | 'r' | 'z' | 'n' | 'h';

/** One tensor's conversion: our parameter, its PyTorch name and shape, and where each value goes. */
interface Mapping {
  name: string;
  shape: number[];
  ours: Tensor;
  /** ours.data[index[q]] ↔ theirs[q] */
  index: Int32Array;
}

/** The PyTorch name suffix of a cell: _l{k}, plus _reverse for the backward direction. */
function suffixOf(layer: number, direction: number): string {
  return `_l${layer}${direction === 1 ? '_reverse' : ''}`;
}

/** Gate blocks in our order and in PyTorch's order, for the blocks this cell has. */
function gateOrders(cell: Cell): { ours: Gate[]; theirs: Gate[] } {
  if (cell instanceof LstmCell) {
    const L = cell.layout;
    const present = (g: 'f' | 'i' | 'g' | 'o') => L[g] >= 0;
    return {
      ours: (['f', 'i', 'g', 'o'] as const).filter(present),
      theirs: (['i', 'f', 'g', 'o'] as const).filter(present),
    };
  }
  if (cell.kind === 'gru') return { ours: ['r', 'z', 'n'], theirs: ['r', 'z', 'n'] };
  return { ours: ['h'], theirs: ['h'] };
}

function mappings(cell: Cell, suffix: string): Mapping[] {
  const I = cell.inputSize, H = cell.hiddenSize;
  const out: Mapping[] = [];
  const params = new Map(cell.namedParameters());
  if (cell instanceof MutCell) {
    for (const [name, t] of params) {
      if (t.shape.length === 1) out.push({ name: name + suffix, shape: [...t.shape], ours: t, index: identity(t.size) });
      else out.push({ name: name + suffix, shape: [t.shape[1], t.shape[0]], ours: t, index: transposeIndex(t.shape[0], t.shape[1]) });
    }
    return out;
  }
  const { ours, theirs } = gateOrders(cell);
  const G = ours.length;
  const W = params.get('W')!;
  // theirs[g·H + j, p] = W[rowFrom + p, ourBlock(g)·H + j]
  const weight = (rowFrom: number, inSize: number): Int32Array => {
    const index = alloc('i32', G * H * inSize);
    theirs.forEach((gate, tb) => {
      const ob = ours.indexOf(gate);
      for (let j = 0; j < H; j++) for (let p = 0; p < inSize; p++) index[(tb * H + j) * inSize + p] = (rowFrom + p) * G * H + ob * H + j;
    });
    return index;
  };
  const vector = (): Int32Array => {
    const index = alloc('i32', G * H);
    theirs.forEach((gate, tb) => {
      const ob = ours.indexOf(gate);
      for (let j = 0; j < H; j++) index[tb * H + j] = ob * H + j;
    });
    return index;
  };
  out.push({ name: `weight_ih${suffix}`, shape: [G * H, I], ours: W, index: weight(0, I) });
  out.push({ name: `weight_hh${suffix}`, shape: [G * H, H], ours: W, index: weight(I, H) });
  for (const [local, theirName] of [['b_ih', 'bias_ih'], ['b_hh', 'bias_hh'], ['b', 'bias']]) {
    const b = params.get(local);
    if (b !== undefined) out.push({ name: theirName + suffix, shape: [G * H], ours: b, index: vector() });
  }
  for (const gate of ['i', 'f', 'o']) {
    const p = params.get(`p_${gate}`);
    if (p !== undefined) out.push({ name: `peep_${gate}${suffix}`, shape: [H], ours: p, index: identity(H) });
  }
  const fgr = params.get('W_fgr');
  if (fgr !== undefined) {
    // ours [src f,i,o; tgt f,i,o] (g·W); theirs [tgt i,f,o; src i,f,o] (W·g)
    const order = [1, 0, 2];
    const index = alloc('i32', 9 * H * H);
    for (let tb = 0; tb < 3; tb++) for (let sb = 0; sb < 3; sb++) for (let j = 0; j < H; j++) for (let q = 0; q < H; q++) {
      index[(tb * H + j) * 3 * H + sb * H + q] = (order[sb] * H + q) * 3 * H + order[tb] * H + j;
    }
    out.push({ name: `weight_fgr${suffix}`, shape: [3 * H, 3 * H], ours: fgr, index });
  }
  return out;
}

function identity(n: number): Int32Array {
  const index = alloc('i32', n);
  for (let q = 0; q < n; q++) index[q] = q;
  return index;
}

/** theirs [cols, rows] is ours [rows, cols] transposed. */
function transposeIndex(rows: number, cols: number): Int32Array {
  const index = alloc('i32', rows * cols);
  for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) index[c * rows + r] = r * cols + c;
  return index;
}

function layerMappings(layer: RecurrentLayer): Mapping[] {
  return layer.cells.flatMap((row, k) => row.flatMap((cell, d) => mappings(cell, suffixOf(k, d))));
}

/** The layer's parameters (or, with 'grad', their gradients) under PyTorch's names and layouts. */
export function exportStateDict(layer: RecurrentLayer, which: 'data' | 'grad' = 'data'): Record<string, { shape: number[]; data: Buf }> {
  const out: Record<string, { shape: number[]; data: Buf }> = {};
  for (const m of layerMappings(layer)) {
    const source = which === 'data' ? m.ours.data : m.ours.ensureGrad();
    const data = alloc(m.ours.dtype, m.index.length);
    for (let q = 0; q < m.index.length; q++) data[q] = source[m.index[q]];
    out[m.name] = { shape: m.shape, data };
  }
  return out;
}

/**
 * Load a state dict into the layer. Every expected name must be there with its shape, and
 * no other name may be. Values are converted to the layer's dtype first and must be finite
 * there (1e300 is finite in float64 but Infinity in float32). All is checked before anything
 * is written, so a rejected dict leaves the layer as it was.
 */
export function importStateDict(layer: RecurrentLayer, dict: StateDict): void {
  const maps = layerMappings(layer);
  const expected = new Set(maps.map((m) => m.name));
  const extra = Object.keys(dict).filter((k) => !expected.has(k));
  if (extra.length > 0) throw new Error(`importStateDict: unexpected names ${extra.join(', ')}; ${layer.name} expects ${[...expected].join(', ')}`);
  const converted = maps.map((m) => {
    const t = dict[m.name];
    if (t === undefined) throw new Error(`importStateDict: missing ${m.name}; ${layer.name} expects ${[...expected].join(', ')}`);
    const shapeOk = Array.isArray(t.shape) && t.shape.length === m.shape.length && t.shape.every((d, q) => d === m.shape[q]);
    if (!shapeOk) throw new ArgumentError('importStateDict', m.name, shapeStr(m.shape), Array.isArray(t.shape) ? shapeStr(t.shape) : t.shape, Array.isArray(t.shape));
    if (t.data?.length !== m.index.length) throw new Error(`importStateDict: ${m.name} ${shapeStr(m.shape)} needs ${m.index.length} values, got ${t.data?.length}`);
    const values = alloc(m.ours.dtype, m.index.length);
    for (let q = 0; q < values.length; q++) values[q] = t.data[q];
    checkFiniteValues('importStateDict', m.name, values, `; values must be finite in ${m.ours.dtype}`);
    return values;
  });
  maps.forEach((m, k) => {
    const values = converted[k];
    for (let q = 0; q < m.index.length; q++) m.ours.data[m.index[q]] = values[q];
  });
}
