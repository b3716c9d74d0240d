// Every op: a kernel call plus one tape entry. Each takes the tape first (null records nothing).
export { matmul } from './matmul.js';
export { add, sub, mul, scale, affine, maximum } from './arithmetic.js';
export { sigmoid, tanh, relu } from './activations.js';
export { concat, slice, split, selectStep, stack, reshape } from './layout.js';
export { sum, mean } from './reduce.js';
export { softmaxCrossEntropy, mse, type CrossEntropyOptions, type Reduction } from './losses.js';
export { embedding, gather } from './embedding.js';
export { dropout, type DropoutOptions } from './dropout.js';
