// PyTorch interop for recurrent layers: the mappings between a layer's parameters and the
// names and layouts of nn.RNN / nn.LSTM / nn.GRU (the machinery is in stateDict.ts).
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
// bit for bit when s holds values of the layer's dtype. A GRU whose z writes stores its z
// rows negated: σ(−a) = 1 − σ(a) makes them PyTorch's z that keeps.
import { alloc, type Buf } from '../core/index.js';
import type { Cell } from './cell.js';
import { GruCell } from './gru.js';
import { LstmCell } from './lstm.js';
import { MutCell } from './mut.js';
import {
  loadStateDictInto,
  sameLayout,
  stateDictOf,
  transposed,
  type StateDict,
  type StateMapping,
  type StateModule,
} from './stateDict.js';

type Gate = 'f' | 'i' | 'g' | 'o' | 'r' | 'z' | 'n' | 'h';

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

function mappings(cell: Cell, suffix: string): StateMapping[] {
  const I = cell.inputSize,
    H = cell.hiddenSize;
  const out: StateMapping[] = [];
  const params = new Map(cell.namedParameters());
  if (cell instanceof MutCell) {
    for (const [name, t] of params)
      out.push(t.shape.length === 1 ? sameLayout(name + suffix, t) : transposed(name + suffix, t));
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
      for (let j = 0; j < H; j++)
        for (let p = 0; p < inSize; p++) index[(tb * H + j) * inSize + p] = (rowFrom + p) * G * H + ob * H + j;
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
  // A GRU whose z writes: its z block (rows H … 2H−1 of theirs, every column) changes sign.
  const zNegated = (perRow: number): Uint8Array | undefined => {
    if (!(cell instanceof GruCell && cell.updateGate === 'writes')) return undefined;
    const negate = new Uint8Array(G * H * perRow);
    negate.fill(1, H * perRow, 2 * H * perRow);
    return negate;
  };
  out.push({ name: `weight_ih${suffix}`, shape: [G * H, I], ours: W, index: weight(0, I), negate: zNegated(I) });
  out.push({ name: `weight_hh${suffix}`, shape: [G * H, H], ours: W, index: weight(I, H), negate: zNegated(H) });
  for (const [local, theirName] of [
    ['b_ih', 'bias_ih'],
    ['b_hh', 'bias_hh'],
    ['b', 'bias'],
  ]) {
    const b = params.get(local);
    if (b !== undefined)
      out.push({ name: theirName + suffix, shape: [G * H], ours: b, index: vector(), negate: zNegated(1) });
  }
  for (const gate of ['i', 'f', 'o']) {
    const p = params.get(`p_${gate}`);
    if (p !== undefined) out.push(sameLayout(`peep_${gate}${suffix}`, p));
  }
  const fgr = params.get('W_fgr');
  if (fgr !== undefined) {
    // ours [src f,i,o; tgt f,i,o] (g·W); theirs [tgt i,f,o; src i,f,o] (W·g)
    const order = [1, 0, 2];
    const index = alloc('i32', 9 * H * H);
    for (let tb = 0; tb < 3; tb++)
      for (let sb = 0; sb < 3; sb++)
        for (let j = 0; j < H; j++)
          for (let q = 0; q < H; q++) {
            index[(tb * H + j) * 3 * H + sb * H + q] = (order[sb] * H + q) * 3 * H + order[tb] * H + j;
          }
    out.push({ name: `weight_fgr${suffix}`, shape: [3 * H, 3 * H], ours: fgr, index });
  }
  return out;
}

/** A recurrent layer's mappings, layer by layer and direction by direction, with PyTorch's suffixes. */
export function layerMappings(layer: { readonly cells: readonly (readonly Cell[])[] }): StateMapping[] {
  return layer.cells.flatMap((row, k) => row.flatMap((cell, d) => mappings(cell, suffixOf(k, d))));
}

/** The layer's parameters (or, with 'grad', their gradients) under PyTorch's names and layouts. */
export function exportStateDict(
  layer: StateModule,
  which: 'data' | 'grad' = 'data',
): Record<string, { shape: number[]; data: Buf }> {
  return stateDictOf(layer, which);
}

/** Load a PyTorch-named state dict into the layer, strictly (see stateDict.ts); a rejected dict leaves it as it was. */
export function importStateDict(layer: StateModule, dict: StateDict): void {
  loadStateDictInto('importStateDict', layer, dict);
}
