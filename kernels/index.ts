export type { Buf, IndexBuf } from './types.js';
export * from './gemm.js';
export * from './elementwise.js';
export * from './activations.js';
export * from './reduce.js';
export * from './softmaxCrossEntropy.js';
export * from './gather.js';
