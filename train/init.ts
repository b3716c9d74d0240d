// Initialisers for a recurrent layer's parameters.
//
//   'pytorch'  every parameter uniform in ±1/√H (what a new layer already has)
//   'xavier'   input weights uniform in ±√(6 / (fan_in + fan_out)) (Glorot & Bengio 2010),
//              per gate block, biases 0
//   orthogonal recurrent matrices: each gate's H×H block is a random orthogonal matrix
//              (Saxe et al. 2014), from the QR decomposition of a Gaussian matrix
//   forgetBias the LSTM forget-gate bias (1 as Gers et al. 2000 and Jozefowicz et al. 2015 advise)
import { ArgumentError, alloc, type Buf, type Rng } from '../core/index.js';
import { LstmCell, type Cell, type RecurrentLayer } from '../cells/index.js';

export interface InitOptions {
  weights?: 'pytorch' | 'xavier';
  /** Orthogonal recurrent blocks (default false: whatever `weights` gives). */
  orthogonal?: boolean;
  /** The LSTM forget-gate bias (the sum of b_ih and b_hh on the f block). */
  forgetBias?: number;
}

export function initializeLayer(layer: RecurrentLayer, rng: Rng, options: InitOptions = {}): void {
  const weights = options.weights ?? 'pytorch';
  if (weights !== 'pytorch' && weights !== 'xavier')
    throw new ArgumentError('initializeLayer', 'weights', "'pytorch' or 'xavier'", weights);
  for (const row of layer.cells) {
    for (const cell of row) {
      cell.initialize(rng);
      if (weights === 'xavier') xavierCell(cell, rng);
      if (options.orthogonal) orthogonalRecurrent(cell, rng);
      if (options.forgetBias !== undefined && cell instanceof LstmCell) cell.setForgetBias(options.forgetBias);
    }
  }
}

/** Each weight matrix (per gate block) uniform in ±√(6/(fan_in + fan_out)); biases 0. */
function xavierCell(cell: Cell, rng: Rng): void {
  const H = cell.hiddenSize;
  for (const [name, t] of cell.namedParameters()) {
    if (t.shape.length === 1) {
      if (name.startsWith('b')) t.data.fill(0);
      continue;
    }
    const [fanIn, width] = t.shape;
    const fanOut = width % H === 0 ? H : width;
    const bound = Math.sqrt(6 / (fanIn + fanOut));
    rng.fillUniform(t.data, -bound, bound);
  }
}

/** The recurrent rows of W (rows I..I+H−1): every H×H gate block made orthogonal. */
function orthogonalRecurrent(cell: Cell, rng: Rng): void {
  const W = cell.namedParameters().find(([name]) => name === 'W')?.[1];
  if (W === undefined)
    throw new Error(
      `initializeLayer: ${cell.prefix} has no packed W; orthogonal recurrent blocks need an RNN, LSTM or GRU`,
    );
  const I = cell.inputSize,
    H = cell.hiddenSize,
    width = W.shape[1];
  const Q = alloc('f64', H * H);
  for (let block = 0; block < width / H; block++) {
    randomOrthogonal(Q, H, rng);
    for (let r = 0; r < H; r++) for (let c = 0; c < H; c++) W.data[(I + r) * width + block * H + c] = Q[r * H + c];
  }
}

/**
 * A random orthogonal n×n matrix into q (row-major): Gram-Schmidt on the columns of a
 * Gaussian matrix (twice, for accuracy), with signs fixed as in a QR decomposition whose R
 * has a positive diagonal, so that the result is uniformly distributed (Mezzadri 2007).
 */
export function randomOrthogonal(q: Buf, n: number, rng: Rng): void {
  for (let k = 0; k < n * n; k++) q[k] = rng.normal();
  for (let c = 0; c < n; c++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < c; p++) {
        let dot = 0;
        for (let r = 0; r < n; r++) dot += q[r * n + c] * q[r * n + p];
        for (let r = 0; r < n; r++) q[r * n + c] -= dot * q[r * n + p];
      }
    }
    let norm = 0;
    for (let r = 0; r < n; r++) norm += q[r * n + c] * q[r * n + c];
    norm = Math.sqrt(norm);
    for (let r = 0; r < n; r++) q[r * n + c] /= norm;
  }
}
