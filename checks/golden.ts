// The reference-case checker: reads a case of the `rnn-golden/1` format (computed by
// PyTorch; see spec/fixtures/golden/README.md), builds the module it names, runs forward
// and backward with the case's loss, and compares the loss, every output and every gradient.
//
// Tolerances: float64 within 1e-9, float32 within 1e-4, each relative to the largest
// magnitude in the reference tensor. Beyond the shared format, a recurrent case may give
// per-sequence `lengths` (an integer input) and `config.batchFirst`, as the cases in
// spec/fixtures/golden-packed do.
import { readFileSync } from 'node:fs';
import { alloc, ops, ParamStore, Tape, Tensor, type DType } from '../core/index.js';
import {
  exportStateDict,
  hasFusedBuild,
  importStateDict,
  RecurrentLayer,
  type Build,
  type LayerOptions,
  type StateDict,
} from '../cells/index.js';
import { clipGradNorm, clipGradValue, makeOptimizer } from '../train/index.js';

export interface GoldenTensor {
  shape: number[];
  data: number[];
}

export interface GoldenCase {
  format: string;
  name: string;
  module: string;
  config: Record<string, unknown>;
  inputs: Record<string, GoldenTensor>;
  params: Record<string, GoldenTensor>;
  lossWeights?: Record<string, GoldenTensor>;
  loss?: number;
  outputs: Record<string, GoldenTensor>;
  grads: Record<string, GoldenTensor>;
}

export const GOLDEN_TOLERANCE: Readonly<Record<DType, number>> = { f64: 1e-9, f32: 1e-4 };

export interface GoldenResult {
  name: string;
  dtype: DType;
  build: Build | null;
  /** Worst error over the loss, outputs and gradients, relative to each reference's largest magnitude; null when not checked. */
  maxRelErr: number | null;
  ok: boolean;
  /** 'checked', or 'unsupported' for a module this version cannot build yet. */
  status: 'checked' | 'unsupported';
  /** The tensor with the worst error, or why the case was not checked. */
  detail: string;
}

export function readGoldenCase(path: string): GoldenCase {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`golden: cannot read ${path}: ${(err as Error).message}`);
  }
  const c = parsed as GoldenCase;
  if (c === null || typeof c !== 'object' || c.format !== 'rnn-golden/1') {
    throw new Error(
      `golden: ${path} is not an rnn-golden/1 case (format is ${JSON.stringify((c as { format?: unknown })?.format)})`,
    );
  }
  for (const key of ['name', 'module', 'config', 'inputs', 'outputs'] as const) {
    if (c[key] === undefined) throw new Error(`golden: ${path} has no '${key}'`);
  }
  c.params ??= {};
  c.grads ??= {};
  return c;
}

/** Which modules build a recurrent layer, and how. */
const recurrentModules: Record<string, (config: Record<string, unknown>) => Partial<LayerOptions>> = {
  lstm: () => ({ cell: 'lstm' }),
  gru: () => ({ cell: 'gru' }),
  rnn_tanh: () => ({ cell: 'rnn', nonlinearity: 'tanh' }),
  rnn_relu: () => ({ cell: 'rnn', nonlinearity: 'relu' }),
  lstm_peephole: () => ({ cell: 'lstm', variant: 'peephole', bias: 'single' }),
  lstm_cifg: () => ({ cell: 'lstm', variant: 'cifg', bias: 'single' }),
  gru_reset_before: () => ({ cell: 'gru', resetAfter: false, bias: 'single' }),
  mut1: () => ({ cell: 'mut1' }),
  mut2: () => ({ cell: 'mut2' }),
  mut3: () => ({ cell: 'mut3' }),
};

/** The builds a module can be checked in. */
export function buildsOf(c: GoldenCase): (Build | null)[] {
  const module = recurrentModules[c.module];
  if (module === undefined) return [null];
  return hasFusedBuild(module(c.config).cell!) ? ['fused', 'unfused'] : ['unfused'];
}

export function checkGoldenCase(c: GoldenCase, dtype: DType, build: Build | null = null): GoldenResult {
  const base = { name: c.name, dtype, build };
  const compare = new Comparison(dtype);
  if (c.module in recurrentModules) runRecurrent(c, dtype, build ?? buildsOf(c)[0]!, compare);
  else if (c.module === 'softmax_cross_entropy') runCrossEntropy(c, dtype, compare);
  else if (c.module === 'embedding') runEmbedding(c, dtype, compare);
  else if (c.module === 'optimizer') runOptimizer(c, dtype, compare);
  else if (c.module === 'clip_grad_norm' || c.module === 'clip_grad_value') runClip(c, dtype, compare);
  else return { ...base, maxRelErr: null, ok: false, status: 'unsupported', detail: `unknown module ${c.module}` };
  compare.requireAll(c);
  return {
    ...base,
    maxRelErr: compare.worst,
    ok: compare.worst <= GOLDEN_TOLERANCE[dtype],
    status: 'checked',
    detail: compare.worstName,
  };
}

class Comparison {
  worst = 0;
  worstName = '';
  readonly compared = new Set<string>();
  constructor(readonly dtype: DType) {}

  /** Record max|ours − theirs| / max|theirs|. */
  add(name: string, ours: ArrayLike<number> | null, theirs: GoldenTensor | number | undefined): void {
    if (theirs === undefined) return;
    this.compared.add(name);
    const ref = typeof theirs === 'number' ? [theirs] : theirs.data;
    if (ours === null || ours.length !== ref.length) {
      this.note(name, Infinity);
      return;
    }
    let diff = 0,
      scale = 0;
    for (let q = 0; q < ref.length; q++) {
      diff = Math.max(diff, Math.abs(ours[q] - ref[q]));
      scale = Math.max(scale, Math.abs(ref[q]));
    }
    this.note(name, scale === 0 ? diff : diff / scale);
  }

  /** Every output and gradient the case holds must have been compared. */
  requireAll(c: GoldenCase): void {
    const names = [
      ...Object.keys(c.outputs).filter((k) => k !== 'loss'),
      ...Object.keys(c.grads).map((k) => `grad ${k}`),
    ];
    for (const name of names) if (!this.compared.has(name)) this.note(`${name} (not compared)`, Infinity);
  }

  private note(name: string, err: number): void {
    if (!(err <= this.worst)) {
      this.worst = err;
      this.worstName = name;
    }
  }
}

function tensorOf(g: GoldenTensor, dtype: DType, requiresGrad = false): Tensor {
  return Tensor.from(g.data, g.shape, dtype, { requiresGrad });
}

/** L = Σ_k sum(output_k ⊙ r_k) over the case's loss weights r_<output>. */
function weightedLoss(tape: Tape, c: GoldenCase, outputs: Record<string, Tensor | null>, dtype: DType): Tensor {
  let loss: Tensor | null = null;
  for (const [key, r] of Object.entries(c.lossWeights ?? {})) {
    const name = key.replace(/^r_/, '');
    const out = outputs[name];
    if (out === undefined || out === null)
      throw new Error(`golden: ${c.name} weights output ${name}, which ${c.module} does not produce`);
    const term = ops.sum(tape, ops.mul(tape, ops.reshape(tape, out, r.shape), tensorOf(r, dtype)));
    loss = loss === null ? term : ops.add(tape, loss, term);
  }
  if (loss === null) throw new Error(`golden: ${c.name} has no lossWeights`);
  return loss;
}

function runRecurrent(c: GoldenCase, dtype: DType, build: Build, compare: Comparison): void {
  const cfg = c.config;
  const numLayers = (cfg.numLayers as number | undefined) ?? 1;
  const bidirectional = Boolean(cfg.bidirectional);
  const spec = recurrentModules[c.module](cfg);
  const layer = new RecurrentLayer({
    ...spec,
    cell: spec.cell!,
    inputSize: cfg.inputSize as number,
    hiddenSize: cfg.hiddenSize as number,
    numLayers,
    bidirectional,
    bias: cfg.bias === false ? 'none' : (spec.bias ?? 'double'),
    batchFirst: cfg.batchFirst === true,
    dtype,
    build,
  });
  // Hand-written single-layer cases name their parameters without the _l0 suffix.
  const suffixed = Object.keys(c.params).every((k) => /_l\d+(_reverse)?$/.test(k));
  const rename = (k: string) => (suffixed ? k : `${k}_l0`);
  const dict: StateDict = {};
  for (const [k, v] of Object.entries(c.params)) dict[rename(k)] = v;
  importStateDict(layer, dict);

  const states = numLayers * (bidirectional ? 2 : 1);
  const tape = new Tape();
  const x = tensorOf(c.inputs.x, dtype, true);
  const state = (name: 'h0' | 'c0') => {
    const g = c.inputs[name];
    if (g === undefined) return { given: undefined, used: undefined };
    const given = tensorOf(g, dtype, true);
    const used = g.shape.length === 2 ? ops.reshape(tape, given, [states, ...g.shape]) : given;
    return { given, used };
  };
  const h0 = state('h0'),
    c0 = state('c0');
  const lengths = c.inputs.lengths?.data;
  const out = layer.forward(tape, x, { h0: h0.used, c0: c0.used, lengths });
  const loss = weightedLoss(tape, c, { y: out.y, h_n: out.h, c_n: out.c }, dtype);
  layer.store.zeroGrad();
  tape.backward(loss);

  compare.add('loss', [loss.item()], c.loss);
  compare.add('y', out.y.data, c.outputs.y);
  compare.add('h_n', out.h.data, c.outputs.h_n);
  compare.add('c_n', out.c?.data ?? null, c.outputs.c_n);
  compare.add('grad x', x.grad, c.grads.x);
  compare.add('grad h0', h0.given?.grad ?? null, c.grads.h0);
  compare.add('grad c0', c0.given?.grad ?? null, c.grads.c0);
  const grads = exportStateDict(layer, 'grad');
  for (const [name, g] of Object.entries(c.grads)) {
    if (name in c.params) compare.add(`grad ${name}`, grads[rename(name)]?.data ?? null, g);
  }
}

function runCrossEntropy(c: GoldenCase, dtype: DType, compare: Comparison): void {
  const logits = tensorOf(c.inputs.logits, dtype, true);
  const reduction = (c.config.reduction as 'mean' | 'sum' | undefined) ?? 'mean';
  const tape = new Tape();
  const loss = ops.softmaxCrossEntropy(tape, logits, c.inputs.target.data, { reduction });
  tape.backward(loss);
  compare.add('loss', [loss.item()], c.loss ?? c.outputs.loss);
  compare.add('grad logits', logits.grad, c.grads.logits);
}

function runEmbedding(c: GoldenCase, dtype: DType, compare: Comparison): void {
  const weight = tensorOf(c.params.weight, dtype, true);
  const idx = c.inputs.indices;
  const tape = new Tape();
  const y = ops.embedding(tape, weight, idx.data, idx.shape);
  const loss = weightedLoss(tape, c, { y }, dtype);
  tape.backward(loss);
  compare.add('loss', [loss.item()], c.loss);
  compare.add('y', y.data, c.outputs.y);
  compare.add('grad weight', weight.grad, c.grads.weight);
}

/** Start at param0, apply grads[k] at step k, compare the parameters after every step. */
function runOptimizer(c: GoldenCase, dtype: DType, compare: Comparison): void {
  const { optimizer, steps, ...hyper } = c.config as { optimizer: string; steps?: number } & Record<string, unknown>;
  const start = c.inputs.param0,
    grads = c.inputs.grads;
  const n = start.data.length;
  const store = new ParamStore(dtype);
  const p = store.add('param', [n]);
  store.allocate();
  p.data.set(start.data);
  const opt = makeOptimizer(optimizer, store, hyper);
  const count = steps ?? grads.shape[0];
  const trajectory = alloc('f64', count * n);
  for (let k = 0; k < count; k++) {
    store.grad.set(grads.data.slice(k * n, (k + 1) * n));
    opt.step();
    trajectory.set(p.data, k * n);
  }
  compare.add('trajectory', trajectory, c.outputs.trajectory);
}

/** Clip inputs grad0, grad1, ... together; compare them after clipping (and the norm before). */
function runClip(c: GoldenCase, dtype: DType, compare: Comparison): void {
  const names = Object.keys(c.inputs)
    .filter((k) => /^grad\d+$/.test(k))
    .sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
  const bufs = names.map((k) => {
    const b = alloc(dtype, c.inputs[k].data.length);
    b.set(c.inputs[k].data);
    return b;
  });
  const max = c.config.max as number;
  if (c.module === 'clip_grad_norm') compare.add('totalNorm', [clipGradNorm(bufs, max)], c.config.totalNorm as number);
  else clipGradValue(bufs, max);
  names.forEach((k, q) => compare.add(k, bufs[q], c.outputs[k]));
}
